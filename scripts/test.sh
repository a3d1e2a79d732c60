#!/usr/bin/env bash
# The whole test suite, on a fresh machine with Java 17 and Maven: brings up the services the
# tests need (installing them if missing), checks formatting, runs every module's tests, and
# stops exactly the services it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUN_DIR="$ROOT/run/test-services"
mkdir -p "$RUN_DIR"
stop_services() { "$ROOT/scripts/services.sh" stop "$RUN_DIR" || true; }
trap stop_services EXIT

# Starts redis-server on 127.0.0.1 (non-default port) and a Docker engine (an existing one, or a
# private dockerd under RUN_DIR), and prints the variables the tests read (SLUICE_REDIS_URI,
# DOCKER_HOST).
services_env="$("$ROOT/scripts/services.sh" start "$RUN_DIR")"
eval "$services_env"

MVN=(mvn -B -ntp)
"${MVN[@]}" -q spotless:check
"${MVN[@]}" verify "$@"

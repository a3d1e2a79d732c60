#!/usr/bin/env bash
# Starts and stops the external services the tests and benchmarks use: Redis and a Docker engine.
#
#   scripts/services.sh start DIR   installs redis-server if missing, starts it on 127.0.0.1:PORT
#                                   with its pid, log and working files under DIR, waits for PONG,
#                                   and prints `export SLUICE_REDIS_URI=redis://127.0.0.1:PORT`;
#                                   then makes sure a Docker engine answers (see below) and prints
#                                   `export DOCKER_HOST=...`
#   scripts/services.sh stop DIR    stops exactly the redis-server whose pid is in DIR/redis.pid and
#                                   the dockerd whose pid is in DIR/dockerd.pid (after removing the
#                                   containers labelled io.sluice.owner on it)
#
# PORT is SLUICE_REDIS_PORT (default 16379); SLUICE_REDIS_WAIT_SECONDS bounds the wait (default 20).
#
# Docker: an engine that already answers `docker version` (DOCKER_HOST, or /var/run/docker.sock) is
# used as it is and never stopped. Otherwise docker.io (and busybox-static) are installed with
# apt-get when missing and a private dockerd is started that leaves the host's network alone
# (--iptables=false --ip-forward=false --bridge=none; containers run with --network host), with its
# data, exec root, pid file, log and socket under DIR (socket DIR/docker.sock). Storage driver
# overlay2, falling back to vfs (said on stderr) when overlay2 does not work here.
# SLUICE_DOCKER=0 skips Docker entirely; SLUICE_DOCKER_WAIT_SECONDS bounds its wait (default 60).
# When no engine can be had, start says why on stderr, prints no DOCKER_HOST line, and still
# succeeds (Redis is up): the Docker tests then fail with that reason under CI=true.
#
# Browser: the web page's test drives a real headless Chromium through chromedriver; start installs
# Debian's chromium and chromium-driver with apt-get when missing (SLUICE_BROWSER=0 skips it) and
# prints `export SLUICE_CHROMIUM=...` and `export SLUICE_CHROMEDRIVER=...`. When they cannot be had,
# start says why on stderr and still succeeds: the browser test then fails with that reason under
# CI=true.
#
# Node.js tools: `scripts/npm-tools.sh DIR/node-tools` installs the pinned npm packages some tests
# run (see that script) and prints `export SLUICE_NODE_TOOLS=...`; SLUICE_NPM=0 skips it.
#
# Both commands are idempotent: start on running services only prints the export lines again,
# stop on stopped ones does nothing.
set -euo pipefail

port="${SLUICE_REDIS_PORT:-16379}"
wait_seconds="${SLUICE_REDIS_WAIT_SECONDS:-20}"
docker_wait_seconds="${SLUICE_DOCKER_WAIT_SECONDS:-60}"

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$2"
[[ -d "$dir" ]] && dir="$(cd "$dir" && pwd)"
pidfile="$dir/redis.pid"

running_pid() {
  # The pid in the pidfile, if that process is alive and is a redis-server.
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

install_redis() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    return
  fi
  echo "services: redis-server not found, installing it with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq redis-server >/dev/null
  # The package may start a system-wide server on 6379; ours runs separately on $port.
}

wait_for_pong() {
  local deadline=$((SECONDS + wait_seconds))
  until [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null || true)" == "PONG" ]]; do
    if ((SECONDS >= deadline)); then
      echo "services: redis-server on 127.0.0.1:$port did not answer PING within ${wait_seconds}s;" \
        "see $dir/redis.log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

start() {
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  pidfile="$dir/redis.pid"
  install_redis
  if ! running_pid >/dev/null; then
    if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null || true)" == "PONG" ]]; then
      echo "services: port $port already answers PING but not from the server in $pidfile;" \
        "stop that server or set SLUICE_REDIS_PORT to a free port" >&2
      exit 1
    fi
    rm -f "$pidfile"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$pidfile" --logfile "$dir/redis.log" --dir "$dir"
  fi
  wait_for_pong
  echo "export SLUICE_REDIS_URI=redis://127.0.0.1:$port"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pidfile"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "services: redis-server pid $pid did not stop in 10s" >&2
    exit 1
  fi
  rm -f "$pidfile"
}

# --- Docker -------------------------------------------------------------------------------------

docker_running_pid() {
  # The pid in DIR/dockerd.pid, if that process is alive and is a dockerd.
  local f="$dir/dockerd.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

docker_answers() { # HOST
  DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

install_docker() {
  if command -v dockerd >/dev/null && command -v docker >/dev/null; then
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    echo "services: dockerd not found and no apt-get to install docker.io" >&2
    return 1
  fi
  echo "services: dockerd not found, installing docker.io and busybox-static with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq docker.io busybox-static >/dev/null || return 1
  # The package's own service is not started here (policy-rc.d); ours runs on its own socket.
  command -v dockerd >/dev/null
}

start_dockerd() { # DRIVER; returns non-zero when it does not answer in time
  local driver="$1" sock="unix://$dir/docker.sock"
  mkdir -p "$dir/docker-data" "$dir/docker-exec"
  rm -f "$dir/dockerd.pid"
  # setsid: dockerd outlives this script and is not in its process group.
  setsid dockerd --iptables=false --ip-forward=false --bridge=none \
    --storage-driver="$driver" --data-root="$dir/docker-data" --exec-root="$dir/docker-exec" \
    --pidfile="$dir/dockerd.pid" -H "$sock" >>"$dir/dockerd.log" 2>&1 </dev/null &
  local launched=$!
  local deadline=$((SECONDS + docker_wait_seconds))
  until docker_answers "$sock"; do
    if ! kill -0 "$launched" 2>/dev/null || ((SECONDS >= deadline)); then
      kill "$launched" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$launched" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/dockerd.pid"
      return 1
    fi
    sleep 0.2
  done
  echo "$driver" >"$dir/docker-driver"
}

start_docker() {
  [[ "${SLUICE_DOCKER:-1}" == "0" ]] && return 0
  # 1. an engine the caller already has
  if [[ -n "${DOCKER_HOST:-}" ]] && docker_answers "$DOCKER_HOST"; then
    echo "export DOCKER_HOST=$DOCKER_HOST"
    return 0
  fi
  if [[ -S /var/run/docker.sock ]] && docker_answers unix:///var/run/docker.sock; then
    echo "export DOCKER_HOST=unix:///var/run/docker.sock"
    return 0
  fi
  local sock="unix://$dir/docker.sock"
  # 2. ours, already running
  if docker_running_pid >/dev/null && docker_answers "$sock"; then
    echo "export DOCKER_HOST=$sock"
    return 0
  fi
  # 3. ours, started now
  if ! install_docker; then
    echo "services: no Docker engine: none answers and docker.io could not be installed;" \
      "the Docker tests will fail under CI=true" >&2
    return 0
  fi
  if ! start_dockerd overlay2; then
    echo "services: dockerd with storage driver overlay2 did not come up (see $dir/dockerd.log);" \
      "retrying with vfs (slower, every layer copied)" >&2
    if ! start_dockerd vfs; then
      echo "services: dockerd did not answer on $sock within ${docker_wait_seconds}s" \
        "(see $dir/dockerd.log); the Docker tests will fail under CI=true" >&2
      return 0
    fi
  fi
  echo "export DOCKER_HOST=$sock"
}

stop_docker() {
  local pid sock="unix://$dir/docker.sock"
  if ! pid="$(docker_running_pid)"; then
    rm -f "$dir/dockerd.pid"
    return 0
  fi
  # Sluice's containers first (only those labelled as ours), then the engine.
  local ids
  ids="$(DOCKER_HOST="$sock" timeout 20 docker ps -aq --filter label=io.sluice.owner 2>/dev/null || true)"
  if [[ -n "$ids" ]]; then
    # shellcheck disable=SC2086
    DOCKER_HOST="$sock" timeout 60 docker rm -f $ids >/dev/null 2>&1 || true
  fi
  kill "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "services: dockerd pid $pid did not stop in 30s" >&2
    exit 1
  fi
  rm -f "$dir/dockerd.pid"
  # dockerd leaves its default network namespace bind-mounted under its exec root; unmount it so
  # the folder can be removed (rm -rf fails on a busy mount point).
  local m
  for m in "$dir"/docker-exec/netns/*; do
    if [[ -e "$m" ]] && mountpoint -q "$m" 2>/dev/null; then
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    fi
  done
}

# Finds (or installs) chromium and chromedriver and prints where they are.
start_browser() {
  [[ "${SLUICE_BROWSER:-1}" == 0 ]] && return 0
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if ! command -v apt-get >/dev/null; then
      echo "services: chromium/chromedriver not found and no apt-get to install them;" \
        "the browser test will fail under CI=true" >&2
      return 0
    fi
    echo "services: chromium or chromedriver not found, installing chromium and chromium-driver" \
      "with apt-get" >&2
    apt-get update -qq >/dev/null || true
    if ! apt-get install -y -qq chromium chromium-driver >/dev/null; then
      echo "services: apt-get could not install chromium and chromium-driver;" \
        "the browser test will fail under CI=true" >&2
      return 0
    fi
  fi
  echo "export SLUICE_CHROMIUM=$(command -v chromium)"
  echo "export SLUICE_CHROMEDRIVER=$(command -v chromedriver)"
}

case "$cmd" in
  start)
    start
    start_docker
    start_browser
    # Node.js programs some tests run as a remote platform's other side (functions framework,
    # serverless-offline); installed once, nothing started.
    "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh" "$dir/node-tools"
    ;;
  stop)
    stop_docker
    stop
    ;;
  *) usage ;;
esac

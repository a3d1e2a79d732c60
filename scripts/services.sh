#!/usr/bin/env bash
# Starts and stops the external services the tests and benchmarks use (today: Redis).
#
#   scripts/services.sh start DIR   installs redis-server if missing, starts it on 127.0.0.1:PORT
#                                   with its pid, log and working files under DIR, waits for PONG,
#                                   and prints `export SLUICE_REDIS_URI=redis://127.0.0.1:PORT`
#   scripts/services.sh stop DIR    stops exactly the redis-server whose pid is in DIR/redis.pid
#
# PORT is SLUICE_REDIS_PORT (default 16379); SLUICE_REDIS_WAIT_SECONDS bounds the wait (default 20).
# Both commands are idempotent: start on a running server only prints the export line again,
# stop on a stopped one does nothing.
set -euo pipefail

port="${SLUICE_REDIS_PORT:-16379}"
wait_seconds="${SLUICE_REDIS_WAIT_SECONDS:-20}"

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$2"
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

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# Starts, stops and reports a Sluice cluster described by a cluster config (docs/configuration.md).
#
#   scripts/cluster.sh start     CONFIG [--run-dir DIR]   master first, then the workers; waits for
#                                                         each to answer GET /health
#   scripts/cluster.sh stop      CONFIG [--run-dir DIR]   TERM, then KILL after a grace period, exactly
#                                                         the processes recorded in the run folder
#   scripts/cluster.sh status    CONFIG [--run-dir DIR]   each process: host, pid, alive/dead, health
#   scripts/cluster.sh processes CONFIG                   the processes the config describes, one a
#                                                         line: ROLE ID HOST HTTPPORT
#
# Processes whose host is 127.0.0.1/localhost/::1 run here; others run over
# `ssh HOST 'cd REPO && bin/sluice ...'` (REPO is this checkout's path unless SLUICE_REMOTE_REPO is
# set), with their log and pid kept on that host under the same run folder path.
# The run folder (default run/cluster-NAME/) holds ROLE[-ID].log and ROLE[-ID].pid per process.
#
# Environment:
#   SLUICE_HEALTH_TIMEOUT  seconds to wait for each process's health (default 60)
#   SLUICE_STOP_GRACE      seconds between TERM and KILL on stop (default 10)
#   SLUICE_REMOTE_REPO     the repository's path on remote hosts (default: this one's)
#   SLUICE_IMAGES          more images to copy to remote worker hosts, besides sluice/fn-python:local
#                          and sluice/fn-java:local (space- or comma-separated)
#   SLUICE_IMAGES_SYNC     auto (default): before start, copy each image a remote worker host lacks
#                          or has with another content hash (docker save | ssh HOST docker load);
#                          force: copy every image again; off: copy nothing
#   For tests only:
#   SLUICE_CMD             the command launched instead of bin/sluice (it gets the same arguments:
#                          `master --config FILE` or `worker --config FILE --id ID`); no jar build
#   SLUICE_SSH             the command used instead of ssh (gets HOST then a shell command)
#
# The config is read with awk: one-line flow mappings ({id: w1, host: ...}) or block style, one key
# per line. The processes themselves check the whole config when they start.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HEALTH_TIMEOUT="${SLUICE_HEALTH_TIMEOUT:-60}"
STOP_GRACE="${SLUICE_STOP_GRACE:-10}"
REMOTE_REPO="${SLUICE_REMOTE_REPO:-$ROOT}"
read -r -a SSH <<<"${SLUICE_SSH:-ssh -n -o BatchMode=yes -o ConnectTimeout=10}"
# The same command with stdin kept (no -n), for `docker save | ssh HOST docker load`.
SSH_IN=()
for w in "${SSH[@]}"; do [ "$w" = -n ] || SSH_IN+=("$w"); done
IMAGES_SYNC="${SLUICE_IMAGES_SYNC:-auto}"

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# ---- config ---------------------------------------------------------------------------------

# Prints "name NAME", "tls DIR" (security.tls.dir, when set: the endpoints serve HTTPS) then one
# line per process: ROLE ID HOST HTTPPORT (master first).
parse_config() {
  awk -v file="$1" '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    function unquote(s) {
      s = trim(s)
      if (s ~ /^".*"$/ || s ~ /^\047.*\047$/) s = substr(s, 2, length(s) - 2)
      return s
    }
    function pair(text, prefix,   p) {
      p = index(text, ":"); if (!p) return
      F[prefix "." trim(substr(text, 1, p - 1))] = unquote(substr(text, p + 1))
    }
    # tls: {dir: X} on one line (also inside security: {...})
    function tlsdir(text,   m) {
      if (match(text, /tls:[ \t]*\{[ \t]*dir:[ \t]*[^,}]+/)) {
        m = substr(text, RSTART, RLENGTH); sub(/.*dir:/, "", m); F["tls.dir"] = unquote(m)
      }
    }
    function flow(text, prefix,   n, parts, i) {
      sub(/^[ \t]*\{/, "", text); sub(/\}[ \t]*$/, "", text)
      n = split(text, parts, ",")
      for (i = 1; i <= n; i++) pair(parts[i], prefix)
    }
    {
      line = $0
      sub(/(^|[ \t])#.*$/, "", line)
      if (line ~ /^[ \t]*$/) next
      if (line !~ /^[ \t-]/) {
        p = index(line, ":"); section = trim(substr(line, 1, p - 1)); value = trim(substr(line, p + 1))
        if (section == "name") name = unquote(value)
        else if (section == "master" && value ~ /^\{/) flow(value, "master")
        else if (section == "security") tlsdir(value)
        next
      }
      text = trim(line)
      if (section == "security") { tlsdir(text); if (text ~ /^tls:[ \t]*$/) intls = 1; else if (intls && text ~ /^dir:/) { pair(text, "tls"); intls = 0 } }
      if (section == "master") pair(text, "master")
      else if (section == "workers") {
        if (text ~ /^-/) { n++; text = trim(substr(text, 2)); if (text == "") next }
        if (text ~ /^\{/) flow(text, "w" n); else pair(text, "w" n)
      }
    }
    END {
      if (name == "") { name = file; sub(/.*\//, "", name); sub(/\.[^.]*$/, "", name) }
      print "name", name
      if (F["tls.dir"] != "") print "tls", F["tls.dir"]
      print "master", "master", F["master.host"], F["master.httpPort"]
      for (i = 1; i <= n; i++) print "worker", F["w" i ".id"], F["w" i ".host"], F["w" i ".httpPort"]
    }' "$1"
}

load_config() {
  [ -f "$CONFIG" ] || die "no such config file: $CONFIG"
  local parsed role id host port
  parsed="$(parse_config "$CONFIG")"
  NAME="$(sed -n 's/^name //p' <<<"$parsed")"
  # security.tls: the HTTP endpoints serve HTTPS; /health is checked trusting the cluster's CA
  TLS_DIR="$(sed -n 's/^tls //p' <<<"$parsed")"
  if [ -n "$TLS_DIR" ]; then
    case "$TLS_DIR" in /*) ;; *) TLS_DIR="$(cd "$(dirname "$CONFIG")" && pwd)/$TLS_DIR" ;; esac
  fi
  # curl's options to reach the endpoints: trust the cluster's CA when they serve HTTPS
  CURL_TLS=()
  [ -z "$TLS_DIR" ] || CURL_TLS=(--cacert "$TLS_DIR/ca.crt")
  ROLES=() IDS=() HOSTS=() PORTS=()
  while read -r role id host port; do
    [ "$role" = name ] || [ "$role" = tls ] && continue
    [ -n "$id" ] && [ -n "$host" ] && [ -n "$port" ] ||
      die "$CONFIG: the $role${id:+ $id} entry needs id, host and httpPort"
    ROLES+=("$role") IDS+=("$id") HOSTS+=("$host") PORTS+=("$port")
  done <<<"$parsed"
  [ "${#ROLES[@]}" -ge 2 ] || die "$CONFIG: found no workers (list them under 'workers:')"
  RUN_DIR="${RUN_DIR:-$ROOT/run/cluster-$NAME}"
}

is_local() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac }
label() { if [ "${ROLES[$1]}" = master ]; then echo master; else echo "worker-${IDS[$1]}"; fi }
health_url() {
  local host="${HOSTS[$1]}"
  case "$host" in *:*) host="[$host]" ;; esac
  if [ -n "${TLS_DIR:-}" ]; then echo "https://$host:${PORTS[$1]}/health"; else echo "http://$host:${PORTS[$1]}/health"; fi
}

sluice_args() {
  if [ "${ROLES[$1]}" = master ]; then echo "master --config $2"; else echo "worker --config $2 --id ${IDS[$1]}"; fi
}
# A path as seen from the repository on a remote host.
remote_path() { case "$1" in "$ROOT"/*) echo "${1#"$ROOT"/}" ;; *) echo "$1" ;; esac }

# ---- processes ------------------------------------------------------------------------------

# The start time of a local pid (field 22 of /proc/PID/stat), to tell our process from a reused pid.
start_time() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null || true; }
# The state letter of a local pid (Z: exited, not yet reaped by its parent).
proc_state() { awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null || true; }

# Reads a pid file into PID_HOST ("" for local), PID and PID_START.
read_pid_file() {
  PID_HOST="" PID="" PID_START=""
  read -r PID_HOST PID PID_START <"$1" || true
  if [ "$PID_HOST" = local ]; then PID_HOST=""; fi
}

alive() {  # alive HOST PID START
  if [ -z "$1" ]; then
    kill -0 "$2" 2>/dev/null || return 1
    [ "$(proc_state "$2")" != Z ] || return 1
    [ -z "$3" ] || [ "$(start_time "$2")" = "$3" ]
  else
    "${SSH[@]}" "$1" "kill -0 $2" 2>/dev/null
  fi
}

signal() {  # signal HOST PID SIGNAL
  if [ -z "$1" ]; then kill "-$3" "$2" 2>/dev/null || true
  else "${SSH[@]}" "$1" "kill -$3 $2" 2>/dev/null || true; fi
}

launch() {  # launch INDEX: starts one process and records its pid file
  local i="$1" name log pidfile pid cmd
  name="$(label "$i")" log="$RUN_DIR/$name.log" pidfile="$RUN_DIR/$name.pid"
  if is_local "${HOSTS[$i]}"; then
    # shellcheck disable=SC2086 # the arguments are words on purpose
    SLUICE_RUN_DIR="$RUN_DIR" nohup "${LAUNCHER[@]}" $(sluice_args "$i" "$CONFIG") \
      >"$log" 2>&1 </dev/null &
    pid=$!
    echo "local $pid $(start_time "$pid")" >"$pidfile"
  else
    local rdir rlog
    rdir="$(remote_path "$RUN_DIR")" rlog="$rdir/$name.log"
    cmd="cd '$REMOTE_REPO' && mkdir -p '$rdir' && { SLUICE_RUN_DIR='$rdir' nohup ${SLUICE_CMD:-bin/sluice}"
    cmd="$cmd $(sluice_args "$i" "$(remote_path "$CONFIG")") >'$rlog' 2>&1 </dev/null & echo \$!; }"
    pid="$("${SSH[@]}" "${HOSTS[$i]}" "$cmd")" || die "cannot start $name over ssh on ${HOSTS[$i]}"
    echo "${HOSTS[$i]} $pid" >"$pidfile"
  fi
  echo "started $name (pid $pid on ${HOSTS[$i]}), log $(log_location "$i")"
}

# Where process INDEX's log is: a local path, or HOST:PATH for a remote process.
log_location() {
  local name
  name="$(label "$1")"
  if is_local "${HOSTS[$1]}"; then echo "$RUN_DIR/$name.log"
  else
    local dir
    dir="$(remote_path "$RUN_DIR")"
    case "$dir" in /*) ;; *) dir="$REMOTE_REPO/$dir" ;; esac
    echo "${HOSTS[$1]}:$dir/$name.log"
  fi
}

# Waits until process INDEX answers its health check; fails naming it and its log.
await_health() {
  local i="$1" name url deadline
  name="$(label "$i")" url="$(health_url "$i")"
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  read_pid_file "$RUN_DIR/$name.pid"
  while ! curl "${CURL_TLS[@]}" -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; do
    if ! alive "$PID_HOST" "$PID" "$PID_START"; then
      echo "cluster.sh: $name (pid $PID) exited before answering $url; see $(log_location "$i")" >&2
      if is_local "${HOSTS[$i]}"; then
        echo "last lines of its log:" >&2
        tail -20 "$RUN_DIR/$name.log" | sed 's/^/  /' >&2 || true
      fi
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster.sh: $name (pid $PID) did not answer $url within ${HEALTH_TIMEOUT}s;" \
        "see $(log_location "$i") (SLUICE_HEALTH_TIMEOUT=SECONDS waits longer)" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$name healthy at $url"
}

# Builds the jar once per host before any process starts, so no two builds run at once.
prebuild() {
  [ -n "${SLUICE_CMD:-}" ] && return 0
  echo "building the jar if needed..."
  "$ROOT/bin/sluice" --version >/dev/null || die "bin/sluice failed to build; see its output above"
  local host seen=" "
  for host in "${HOSTS[@]}"; do
    is_local "$host" || [[ "$seen" == *" $host "* ]] || {
      seen="$seen$host "
      "${SSH[@]}" "$host" "cd '$REMOTE_REPO' && bin/sluice --version >/dev/null" ||
        die "bin/sluice failed to build on $host (in $REMOTE_REPO)"
    }
  done
}

# ---- images ---------------------------------------------------------------------------------

# What identifies an image's content: its io.sluice.content-hash label (images/build.sh), or its id
# for images without one (docker save | docker load keeps the id).
IMAGE_FORMAT='{{.Id}} {{index .Config.Labels "io.sluice.content-hash"}}'
image_identity() {  # "ID HASH" from docker image inspect -> HASH, or ID when there is no hash
  local id hash
  read -r id hash <<<"$1"
  case "$hash" in "" | "<no value>") echo "$id" ;; *) echo "$hash" ;; esac
}

# Makes sure every remote worker host has the function images (no registry needed): each image
# this machine's engine has is inspected on the host, and sent with docker save | ssh docker load
# when it is missing there or its content differs. Images this machine lacks are skipped.
sync_images() {
  case "$IMAGES_SYNC" in auto | force) ;; off) return 0 ;;
    *) die "SLUICE_IMAGES_SYNC must be auto, force or off (not '$IMAGES_SYNC')" ;;
  esac
  local i host hosts=() seen=" "
  for ((i = 1; i < ${#ROLES[@]}; i++)); do
    host="${HOSTS[$i]}"
    is_local "$host" || [[ "$seen" == *" $host "* ]] || { seen="$seen$host "; hosts+=("$host"); }
  done
  [ "${#hosts[@]}" -gt 0 ] || return 0
  if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "images: no local Docker engine (${DOCKER_HOST:-unix:///var/run/docker.sock}); not copying images to ${hosts[*]}"
    return 0
  fi
  local images=(sluice/fn-python:local sluice/fn-java:local) extra image wanted local_id remote_id
  extra="${SLUICE_IMAGES:-}"
  read -r -a extra <<<"${extra//,/ }"
  images+=(${extra[@]+"${extra[@]}"})
  for image in "${images[@]}"; do
    if ! wanted="$(docker image inspect -f "$IMAGE_FORMAT" "$image" 2>/dev/null)"; then
      echo "images: $image is not in the local engine; not copying it"
      continue
    fi
    local_id="$(image_identity "$wanted")"
    for host in "${hosts[@]}"; do
      if [ "$IMAGES_SYNC" = auto ] &&
        remote_id="$("${SSH[@]}" "$host" "docker image inspect -f '$IMAGE_FORMAT' '$image'" 2>/dev/null)" &&
        [ "$(image_identity "$remote_id")" = "$local_id" ]; then
        echo "images: $image is up to date on $host"
        continue
      fi
      echo "images: copying $image ($local_id) to $host..."
      docker save "$image" | "${SSH_IN[@]}" "$host" "docker load" >/dev/null ||
        die "cannot copy image $image to $host (docker save | ssh $host docker load failed; is Docker running there?)"
    done
  done
}

# ---- commands -------------------------------------------------------------------------------

cmd_start() {
  mkdir -p "$RUN_DIR"
  local f
  for f in "$RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    read_pid_file "$f"
    alive "$PID_HOST" "$PID" "$PID_START" &&
      die "$(basename "$f" .pid) is already running (pid $PID) for $RUN_DIR; stop it first: $0 stop $CONFIG"
    rm -f "$f"
  done
  prebuild
  sync_images
  launch 0
  await_health 0 || { cmd_stop >&2; die "start failed; stopped what was started"; }
  local i failed=0
  for ((i = 1; i < ${#ROLES[@]}; i++)); do launch "$i"; done
  for ((i = 1; i < ${#ROLES[@]}; i++)); do await_health "$i" || failed=1; done
  [ "$failed" = 0 ] || { cmd_stop >&2; die "start failed; stopped what was started"; }
  echo "cluster $NAME is up; run folder $RUN_DIR"
}

cmd_stop() {
  local f pending=() name
  [ -d "$RUN_DIR" ] || { echo "nothing to stop: no run folder $RUN_DIR"; return 0; }
  for f in "$RUN_DIR"/worker-*.pid "$RUN_DIR"/master.pid; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .pid)"
    read_pid_file "$f"
    if alive "$PID_HOST" "$PID" "$PID_START"; then
      signal "$PID_HOST" "$PID" TERM
      pending+=("$f")
    else
      echo "$name (pid $PID) was not running"
      rm -f "$f"
    fi
  done
  local deadline=$((SECONDS + STOP_GRACE))
  for f in ${pending[@]+"${pending[@]}"}; do
    name="$(basename "$f" .pid)"
    read_pid_file "$f"
    while alive "$PID_HOST" "$PID" "$PID_START" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$PID_HOST" "$PID" "$PID_START"; then
      signal "$PID_HOST" "$PID" KILL
      local gone=$((SECONDS + 5))
      while alive "$PID_HOST" "$PID" "$PID_START" && [ "$SECONDS" -lt "$gone" ]; do sleep 0.1; done
      echo "$name (pid $PID) killed after ${STOP_GRACE}s"
    else
      echo "$name (pid $PID) stopped"
    fi
    rm -f "$f"
  done
}

cmd_status() {
  local i name state health code all=0
  printf '%-14s %-16s %-8s %-7s %-10s %s\n' PROCESS HOST PID STATE HEALTH LOG
  for ((i = 0; i < ${#ROLES[@]}; i++)); do
    name="$(label "$i")" state="-" PID="-"
    if [ -e "$RUN_DIR/$name.pid" ]; then
      read_pid_file "$RUN_DIR/$name.pid"
      if alive "$PID_HOST" "$PID" "$PID_START"; then state=alive; else state=dead; fi
    else
      state="stopped"
    fi
    code="$(curl "${CURL_TLS[@]}" -sS --max-time 2 -o /dev/null -w '%{http_code}' "$(health_url "$i")" 2>/dev/null || true)"
    case "$code" in 200) health=ok ;; 000 | "") health=down ;; *) health="http-$code" ;; esac
    [ "$state" = alive ] && [ "$health" = ok ] || all=1
    printf '%-14s %-16s %-8s %-7s %-10s %s\n' "$name" "${HOSTS[$i]}" "$PID" "$state" "$health" \
      "$(log_location "$i")"
  done
  return "$all"
}

[ $# -ge 2 ] || usage
COMMAND="$1" CONFIG="$2"
shift 2
RUN_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --run-dir) [ $# -ge 2 ] || usage; RUN_DIR="$2"; shift 2 ;;
    *) usage ;;
  esac
done
CONFIG="$(cd "$(dirname "$CONFIG")" 2>/dev/null && pwd)/$(basename "$CONFIG")" ||
  die "no such config file: $CONFIG"
[ -z "$RUN_DIR" ] || RUN_DIR="$(mkdir -p "$RUN_DIR" && cd "$RUN_DIR" && pwd)"
read -r -a LAUNCHER <<<"${SLUICE_CMD:-$ROOT/bin/sluice}"
load_config
case "$COMMAND" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  processes) parse_config "$CONFIG" | tail -n +2 ;;
  *) usage ;;
esac

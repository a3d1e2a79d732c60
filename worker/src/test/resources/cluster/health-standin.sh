#!/usr/bin/env bash
# Test stand-in for bin/sluice, launched by scripts/cluster.sh through SLUICE_CMD in
# ClusterScriptTest: `master --config FILE` or `worker --config FILE --id ID` serves GET /health
# (python3 -m http.server) on the process's configured host and httpPort.
# Knobs, each naming a process id (master or a worker id):
#   STANDIN_FAIL=ID         that process exits at once with an error
#   STANDIN_HANG=ID         that process never answers its health check
#   STANDIN_IGNORE_TERM=ID  that process ignores SIGTERM (stop must KILL it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)"
config="$3" id="${5:-master}"
echo "stand-in $id starting with: $*"
if [ "${STANDIN_FAIL:-}" = "$id" ]; then
  echo "stand-in $id: failing on purpose" >&2
  exit 1
fi
read -r _ _ host port < <("$ROOT/scripts/cluster.sh" processes "$config" | awk -v id="$id" '$2 == id')
dir="${SLUICE_RUN_DIR:-$(mktemp -d)}/standin-$id"
mkdir -p "$dir"
if [ "${STANDIN_HANG:-}" = "$id" ]; then
  exec sleep 600
fi
echo '{"status":"ok"}' >"$dir/health"
if [ "${STANDIN_IGNORE_TERM:-}" = "$id" ]; then
  trap '' TERM
fi
exec python3 -m http.server "$port" --bind "$host" --directory "$dir"

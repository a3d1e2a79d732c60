#!/usr/bin/env bash
# The standard study (docs/experiments.md): WorkerSP vs MasterSP and tiered vs redis FaaStore on
# FaaSFlow's eight benchmarks and two WfCommons traces of 1,000+ tasks, plus a small open-loop load
# sweep, each on clusters of a master and 3 worker processes that `bin/sluice bench workflow` starts
# and stops itself.
#
#   scripts/experiment.sh [--quick] --out DIR [--redis HOST:PORT]
#
#   --quick   few instances and small time scales: under 5 minutes on a 2-core machine
#   --out     where the results go: DIR/faasflow, DIR/wfcommons, DIR/load, DIR/links (each with results.csv,
#             samples.csv, summary.md, charts, cluster configs and logs) and DIR/README.md
#   --redis   a Redis to use; else 127.0.0.1:$SLUICE_REDIS_PORT when that answers; else the script
#             starts one (scripts/services.sh with SLUICE_DOCKER=0, files in DIR/services) and stops
#             it at the end
#
# Environment: SLUICE_JAVA_OPTS is passed to every JVM (harness, master, workers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "experiment.sh: $*" >&2; exit 1; }

QUICK=0 OUT="" REDIS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --out) [ $# -ge 2 ] || usage; OUT="$2"; shift 2 ;;
    --redis) [ $# -ge 2 ] || usage; REDIS="$2"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "experiment.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$OUT" ] || { echo "experiment.sh: --out DIR is required" >&2; usage; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# ---- Redis: given, already running at SLUICE_REDIS_PORT, or started here ----------------------
STARTED_REDIS=0
cleanup() {
  if [ "$STARTED_REDIS" = 1 ]; then
    "$ROOT/scripts/services.sh" stop "$OUT/services" >/dev/null 2>&1 || true
    echo "experiment.sh: stopped the Redis it started"
  fi
}
trap cleanup EXIT

pong() { [ "$(redis-cli -h "${1%:*}" -p "${1##*:}" ping 2>/dev/null || true)" = PONG ]; }
if [ -z "$REDIS" ] && [ -n "${SLUICE_REDIS_PORT:-}" ] && command -v redis-cli >/dev/null &&
  pong "127.0.0.1:$SLUICE_REDIS_PORT"; then
  REDIS="127.0.0.1:$SLUICE_REDIS_PORT"
fi
if [ -z "$REDIS" ]; then
  port=$((16500 + RANDOM % 2000))
  echo "experiment.sh: starting Redis on 127.0.0.1:$port (files in $OUT/services)"
  exports="$(SLUICE_DOCKER=0 SLUICE_REDIS_PORT="$port" "$ROOT/scripts/services.sh" start "$OUT/services")" ||
    die "could not start Redis with scripts/services.sh; give --redis HOST:PORT"
  STARTED_REDIS=1
  eval "$exports"
  REDIS="127.0.0.1:$port"
fi
echo "experiment.sh: Redis at $REDIS"

# ---- the study -------------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  FAASFLOW=(--time-scale 0.01 --data-scale 0.01 --instances 3 --warmup 1)
  WFCOMMONS=(--time-scale 0.001 --data-scale 0.001 --instances 2 --warmup 1)
  LOAD=(--time-scale 0.01 --data-scale 0.01 --rate 2,5,10 --duration 5s --warmup 2)
  LINKS=(--time-scale 0.01 --data-scale 0.1 --instances 2 --warmup 1)
  LINKS_FILES=("$ROOT/corpus/faasflow/genome/flat_workflow.yaml")
else
  FAASFLOW=(--time-scale 0.1 --data-scale 0.1 --instances 20 --warmup 3 --warmup-time 10s)
  WFCOMMONS=(--time-scale 0.01 --data-scale 0.001 --instances 5 --warmup 1 --warmup-time 10s)
  LOAD=(--time-scale 0.1 --data-scale 0.1 --rate 1,2,4,8 --duration 30s --warmup 3)
  LINKS=(--time-scale 0.1 --data-scale 1 --instances 5 --warmup 1 --warmup-time 5s)
  LINKS_FILES=("$ROOT/corpus/faasflow/genome/flat_workflow.yaml" "$ROOT/corpus/faasflow/cycles/flat_workflow.yaml")
fi
COMMON=(--synthetic --workers 3 --redis "$REDIS" --seed 1)
FAASFLOW_FILES=()
for w in wordcount fileprocessing video illgal_recognizer cycles epigenomics genome soykb; do
  FAASFLOW_FILES+=("$ROOT/corpus/faasflow/$w/flat_workflow.yaml")
done
WFCOMMONS_FILES=(
  "$ROOT/corpus/wfcommons/raw/montage-chameleon-2mass-04d-001.json"
  "$ROOT/corpus/wfcommons/raw/bwa-chameleon-medium-001.json"
)
for f in "${FAASFLOW_FILES[@]}" "${WFCOMMONS_FILES[@]}"; do [ -f "$f" ] || die "missing corpus file $f"; done

bench() { "$ROOT/bin/sluice" bench workflow "$@"; }
start=$SECONDS
echo "experiment.sh: 1/4 FaaSFlow's eight benchmarks, worker vs master mode, tiered vs redis store"
bench "${FAASFLOW_FILES[@]}" "${COMMON[@]}" "${FAASFLOW[@]}" --mode worker,master \
  --store tiered,redis --clients 1 --out "$OUT/faasflow"
echo "experiment.sh: 2/4 WfCommons Montage (1,312 tasks) and BWA (1,004 tasks)"
bench "${WFCOMMONS_FILES[@]}" "${COMMON[@]}" "${WFCOMMONS[@]}" --mode worker,master \
  --store tiered,redis --clients 1 --out "$OUT/wfcommons"
echo "experiment.sh: 3/4 open-loop load sweep on genome (Poisson arrivals), tiered store"
bench "$ROOT/corpus/faasflow/genome/flat_workflow.yaml" "${COMMON[@]}" "${LOAD[@]}" \
  --mode worker,master --store tiered --baseline mode=master --out "$OUT/load"

echo "experiment.sh: 4/4 emulated links (1 ms, 50MB/s): genome and cycles with their data, worker vs master, tiered vs redis"
bench "${LINKS_FILES[@]}" "${COMMON[@]}" "${LINKS[@]}" --mode worker,master --store tiered,redis --clients 1 \
  --link-latency 1ms --link-bandwidth 50MB/s --out "$OUT/links"
cat >"$OUT/README.md" <<MD
# Sluice experiment ($( [ "$QUICK" = 1 ] && echo quick || echo full ))

Run by \`scripts/experiment.sh$( [ "$QUICK" = 1 ] && echo " --quick") --out DIR\` on $(date -u '+%Y-%m-%d %H:%M UTC'),
$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $((SECONDS - start)) s in all.

- [FaaSFlow's eight benchmarks](faasflow/summary.md): worker vs master mode, tiered vs redis store
- [WfCommons Montage and BWA](wfcommons/summary.md): the same on 1,000+ task traces
- [Load sweep](load/summary.md): genome under Poisson arrivals at several rates
- [Emulated links](links/summary.md): genome and cycles over 1 ms, 50MB/s links (docs/experiments.md)

Each folder has results.csv, samples.csv, summary.md, PNG charts, and clusters/ with each
cluster's config and process logs (docs/experiments.md).
MD
echo "experiment.sh: done in $((SECONDS - start)) s; results in $OUT (start with $OUT/README.md)"

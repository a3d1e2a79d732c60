#!/usr/bin/env bash
# Kills a worker with kill -9 in the middle of an instance and shows that the instance completes
# anyway (durability: redis; README "Try it: kill -9 a worker"):
#   1. Redis on 127.0.0.1:17479 (scripts/services.sh; left alone if one already answers there),
#   2. the cluster of cluster-config/durable-3.yaml (a master and workers w1-w3 on 17460-17473),
#      as a copy in run/kill-a-worker/ with its own journal key prefix; SLUICE_PORT_OFFSET=N moves
#      every port (Redis's too) by N when those are taken,
#   3. genome on the synthetic runtime at time scale 3 (about 10 s), submitted with --wait,
#   4. kill -9 of worker w2 four seconds in, then the instance's result and the master's lines
#      about the death and the moved parts.
# Stops what it started (the cluster, and Redis if it started it), also on failure or Ctrl-C.
# Every wait is bounded. Exit 0 when the instance completed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OFFSET="${SLUICE_PORT_OFFSET:-0}"
SERVICES=run/kill-a-worker
mkdir -p "$SERVICES"
CONFIG="$SERVICES/kill-a-worker.yaml"
RUN=run/cluster-kill-a-worker
MASTER_PORT=$((17460 + OFFSET))
export SLUICE_REDIS_PORT=$((17479 + OFFSET))
# durable-3.yaml with every 174NN port moved by OFFSET and a journal key prefix of its own
sed -e "s/^name: .*/name: kill-a-worker/" -e "s/sluice:durable-3:/sluice:kill-a-worker:/" \
  cluster-config/durable-3.yaml |
  awk -v off="$OFFSET" '{ out = ""
    while (match($0, /174[0-9][0-9]/)) {
      out = out substr($0, 1, RSTART - 1) (substr($0, RSTART, 5) + off); $0 = substr($0, RSTART + 5)
    }
    print out $0 }' >"$CONFIG"
if (exec 3<>"/dev/tcp/127.0.0.1/$MASTER_PORT") 2>/dev/null; then
  echo "port $MASTER_PORT is taken (another cluster?); try SLUICE_PORT_OFFSET=100 $0" >&2
  exit 2
fi

started_redis=0
cleanup() {
  scripts/cluster.sh stop "$CONFIG" >/dev/null 2>&1 || true
  if [ "$started_redis" = 1 ]; then scripts/services.sh stop "$SERVICES" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if redis-cli -p "$SLUICE_REDIS_PORT" ping >/dev/null 2>&1; then
  echo "== Redis already answers on 127.0.0.1:$SLUICE_REDIS_PORT; using it"
else
  echo "== starting Redis on 127.0.0.1:$SLUICE_REDIS_PORT"
  SLUICE_DOCKER=0 SLUICE_NPM=0 scripts/services.sh start "$SERVICES" >/dev/null
  started_redis=1
fi

echo "== starting the cluster ($CONFIG)"
SLUICE_LOG_LEVEL=INFO scripts/cluster.sh start "$CONFIG" | grep -E '^(started|cluster)'

M="127.0.0.1:$MASTER_PORT"
echo "== submitting genome (time scale 3, about 10 s)"
id="$(bin/sluice submit --master "$M" corpus/faasflow/genome/flat_workflow.yaml --synthetic --time-scale 3)"
echo "instance $id"
sleep 4
# a worker that runs part of it: the one with the most of its nodes in the master's placement
victim="$(bin/sluice placement --master "$M" corpus/faasflow/genome/flat_workflow.yaml --json |
  python3 -c 'import collections, json, sys; print(collections.Counter(json.load(sys.stdin)["nodes"].values()).most_common(1)[0][0])')"
pid="$(awk '{print $2}' "$RUN/worker-$victim.pid")"   # the pid file holds: local PID START
echo "== kill -9 worker $victim (pid $pid), which runs part of $id"
kill -9 "$pid"

state=running
for _ in $(seq 1 120); do   # at most about 2 minutes
  state="$(bin/sluice status --master "$M" "$id" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')"
  [ "$state" = running ] || break
  sleep 1
done
echo "== the master's log"
grep -E 'declared dead|moved from dead worker' "$RUN/master.log" | cut -c1-200 || true
echo "== the instance"
bin/sluice status --master "$M" "$id" --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("status:", j["status"], "| nodes executed:", j["nodesExecuted"], "| elapsed: %.1f s" % (j["elapsedMs"] / 1000))
'
if [ "$state" = completed ]; then echo "== completed although worker $victim was killed"; exit 0; fi
echo "== NOT completed: $state"
exit 1

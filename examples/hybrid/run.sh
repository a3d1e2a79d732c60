#!/usr/bin/env bash
# Runs the hybrid example from a fresh clone: one workflow whose steps run on three runtimes (java,
# http to Google's functions framework, process) and which waits for an event delivered through a
# Redis stream. Starts everything it needs on 127.0.0.1 (Redis on a free port, the functions
# framework, a master and two workers), runs one order, prints the result and stops exactly what
# it started, by pid, also when interrupted. Needs Java 17, Maven and Node.js (npm); Redis and the
# npm packages are installed when missing (scripts/services.sh, scripts/npm-tools.sh).
#
#   examples/hybrid/run.sh            exit 0 when the order completes with its receipt
#
# Environment: SLUICE_HYBRID_RUN_DIR  where logs and generated files go (default run/hybrid);
#              SLUICE_NODE_TOOLS      npm packages already installed (else installed under it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUN="${SLUICE_HYBRID_RUN_DIR:-$ROOT/run/hybrid}"
rm -rf "$RUN/cluster" "$RUN/classes"
mkdir -p "$RUN"

free_ports() { # N: N distinct free ports, held open together while the OS picks them
  node -e "
    const net = require('net'); const n = Number(process.argv[1]); const servers = [];
    const next = () => {
      if (servers.length === n) {
        console.log(servers.map((s) => s.address().port).join(' '));
        servers.forEach((s) => s.close());
        return;
      }
      const s = net.createServer(); servers.push(s); s.listen(0, '127.0.0.1', next);
    };
    next();" "$1"
}
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

FF_PID=""
CLUSTER_STARTED=""
cleanup() {
  set +e
  [[ -n "$CLUSTER_STARTED" ]] && scripts/cluster.sh stop "$RUN/cluster.yaml" --run-dir "$RUN/cluster" >/dev/null
  if [[ -n "$FF_PID" ]] && kill -0 "$FF_PID" 2>/dev/null; then
    kill "$FF_PID"
    for _ in $(seq 1 50); do kill -0 "$FF_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$FF_PID" 2>/dev/null
  fi
  SLUICE_REDIS_PORT="$REDIS_PORT" SLUICE_DOCKER=0 SLUICE_NPM=0 scripts/services.sh stop "$RUN/services" >/dev/null
}
command -v node >/dev/null || { echo "hybrid: needs Node.js (apt-get install nodejs npm)" >&2; exit 2; }

# 1. Redis (the stream the approval comes through) and the npm packages (functions framework)
# every port this run needs, distinct: Redis, the functions framework, master and 2 workers
read -r REDIS_PORT FF_PORT P0 P1 P2 P3 P4 P5 <<<"$(free_ports 8)"
P=("$P0" "$P1" "$P2" "$P3" "$P4" "$P5")
trap cleanup EXIT
echo "hybrid: starting Redis on 127.0.0.1:$REDIS_PORT" >&2
NPM=1
# npm packages already installed (scripts/npm-tools.sh, e.g. by scripts/test.sh): use them
[[ -x "${SLUICE_NODE_TOOLS:-/nonexistent}/.bin/functions-framework" ]] && NPM=0
eval "$(SLUICE_REDIS_PORT="$REDIS_PORT" SLUICE_DOCKER=0 SLUICE_NPM="$NPM" scripts/services.sh start "$RUN/services")"
[[ -n "${SLUICE_NODE_TOOLS:-}" ]] || { echo "hybrid: npm packages could not be installed" >&2; exit 1; }

# 2. Google's functions framework serving the CloudEvent function `risk`, bound to 127.0.0.1
echo "hybrid: starting the functions framework on 127.0.0.1:$FF_PORT" >&2
NODE_OPTIONS="--require=$ROOT/function-runtimes/src/main/resources/io/sluice/runtime/http/loopback.js" \
  "$SLUICE_NODE_TOOLS/.bin/functions-framework" --target=risk --signature-type=cloudevent \
  --port="$FF_PORT" --source="$ROOT/examples/hybrid/fn/risk" >"$RUN/functions-framework.log" 2>&1 &
FF_PID=$!
for _ in $(seq 1 300); do answers "$FF_PORT" && break; sleep 0.1; done
answers "$FF_PORT" || { echo "hybrid: the functions framework did not start; see $RUN/functions-framework.log" >&2; exit 1; }

# 3. The Java function's class, compiled against Sluice's jar, on the workers' class path
bin/sluice --version >/dev/null # builds cli/target/sluice.jar on a fresh clone
javac -d "$RUN/classes" -cp cli/target/sluice.jar examples/hybrid/java/example/hybrid/Price.java
export SLUICE_CLASSPATH="$RUN/classes"

# 4. Where `risk` lives (this run's port), and the cluster: a master that consumes the stream
cat >"$RUN/functions.yaml" <<YAML
functions:
  risk: {runtime: http, preset: gcf, signatureType: cloudevent, url: "http://127.0.0.1:$FF_PORT/",
         eventType: com.example.order.priced, timeout: 10s}
YAML
cat >"$RUN/cluster.yaml" <<YAML
name: hybrid
master: {host: 127.0.0.1, grpcPort: ${P[0]}, httpPort: ${P[1]}}
store: {mode: tiered, redis: redis://127.0.0.1:$REDIS_PORT}
sources:
  - {type: redis-stream, uri: "redis://127.0.0.1:$REDIS_PORT", stream: hybrid.approvals, format: data, block: 200ms}
workers:
  - {id: w1, host: 127.0.0.1, grpcPort: ${P[2]}, httpPort: ${P[3]}, slots: 4, memory: 1GB}
  - {id: w2, host: 127.0.0.1, grpcPort: ${P[4]}, httpPort: ${P[5]}, slots: 4, memory: 1GB}
YAML
echo "hybrid: starting a master and 2 workers" >&2
CLUSTER_STARTED=1
scripts/cluster.sh start "$RUN/cluster.yaml" --run-dir "$RUN/cluster" >&2
MASTER="127.0.0.1:${P[0]}"

# 5. One order: start it, deliver the approval through the stream, wait for the end
ID="$(bin/sluice submit --master "$MASTER" examples/hybrid/order.yaml \
  --functions "$RUN/functions.yaml" --input @examples/hybrid/input.json)"
echo "hybrid: started instance $ID; approving order A-1001 through the Redis stream" >&2
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" XADD hybrid.approvals '*' \
  type com.example.order.approved subject A-1001 \
  data '{"approver": "grace", "via": "hybrid.approvals"}' >/dev/null
for _ in $(seq 1 60); do
  if ! bin/sluice status --master "$MASTER" "$ID" | grep -q "^instance $ID running"; then break; fi
  sleep 1
done
bin/sluice status --master "$MASTER" "$ID" --json >"$RUN/result.json" || true
cat "$RUN/result.json"
echo
if grep -q '"status" *: *"completed"' "$RUN/result.json" && grep -q '"approvedBy" *: *"grace"' "$RUN/result.json"; then
  echo "hybrid: completed: java -> functions framework (http, CloudEvents) -> Redis stream event -> process" >&2
else
  echo "hybrid: the order did not complete; logs in $RUN (cluster/, functions-framework.log)" >&2
  exit 1
fi

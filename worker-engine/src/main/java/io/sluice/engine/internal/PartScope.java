package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.Transfers;
import io.sluice.engine.data.DataPlane;
import io.sluice.engine.internal.TriggerEvent.Kind;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One worker's part of a partitioned instance (WorkerSP): only the partition's local nodes run
 * here; an edge to another worker leaves as an edge event carrying the exported value or reference;
 * a value that went through the store is fetched back before its edge resolves; the end reports a
 * {@link PartResult} (the master composes the output from every part's sinks).
 */
final class PartScope implements InstanceScope {
  private final Partition part;
  private final Exports exports;
  private Map<String, JsonNode> sinks = Map.of();

  PartScope(Partition part, CompiledWorkflow wf) {
    this.part = part;
    this.exports = new Exports(wf.size());
  }

  @Override
  public boolean local(int k) {
    return !part.remote[k];
  }

  @Override
  public int localCount(CompiledWorkflow wf) {
    return part.localCount;
  }

  @Override
  public Edges.Event route(Instance inst, int edge, JsonNode payload) {
    if (part.remote[inst.wf.edgeTo[edge]]) {
      return Edges.Event.REMOTE;
    }
    JsonNode out = exports.outgoing(inst.wf.edgeFrom[edge], payload);
    return out != payload && inst.ctx.data.isReference(out)
        ? Edges.Event.BY_REFERENCE
        : Edges.Event.LOCAL;
  }

  @Override
  public void countLocal(Instance inst, JsonNode payload) {
    if (payload != null) {
      inst.ctx.data.countLocal(inst.id, payload);
    }
  }

  @Override
  public void send(Instance inst, int edge, JsonNode payload) {
    int from = inst.wf.edgeFrom[edge];
    exports.edgesSent++;
    part.send(
        inst.id,
        inst.wf,
        edge,
        exports.outgoing(from, payload),
        inst.attempts[from],
        inst.path.edgeCompute(edge),
        inst.path.edgeData(edge));
  }

  @Override
  public void fetch(Instance inst, int edge, JsonNode payload) {
    JsonNode ref = exports.outgoing(inst.wf.edgeFrom[edge], payload);
    int t = inst.wf.edgeTo[edge];
    DataPlane data = inst.ctx.data;
    long t0 = inst.ctx.scheduler.nanoTime();
    data.resolve(inst.id, ref)
        .whenComplete(
            (v, ex) ->
                inst.post(
                    ex == null
                        ? new TriggerEvent(
                            Kind.EDGE,
                            edge,
                            0,
                            Edges.FETCHED_MARK,
                            v,
                            null,
                            null,
                            inst.now(),
                            0,
                            inst.ctx.scheduler.nanoTime() - t0)
                        : new TriggerEvent(
                            Kind.ABORT, t, 0, 0, null, Instance.errorOf(ex), null, inst.now())));
  }

  @Override
  public CompletableFuture<JsonNode> export(Instance inst, int k, JsonNode result, int branch) {
    Trigger t = inst.wf.triggers[k];
    if (exports.value[k] != null
        || !part.needsExport(inst.wf, t, branch, inst.ctx.data.storesLocalValues())) {
      return null;
    }
    return inst.ctx
        .data
        .export(inst.id, t.nodeId, result, part.consumerWorkers(inst.wf, t))
        .toCompletableFuture();
  }

  @Override
  public void hold(int k, JsonNode result, int branch) {
    exports.pendingResult[k] = result;
    exports.pendingBranch[k] = branch;
  }

  @Override
  public NodeMachine.PendingExport exported(int k, JsonNode value) {
    exports.value[k] = value;
    JsonNode result = exports.pendingResult[k];
    exports.pendingResult[k] = null;
    return new NodeMachine.PendingExport(result, exports.pendingBranch[k], null);
  }

  @Override
  public JsonNode output(Instance inst, Map<String, JsonNode> sinks) {
    this.sinks = sinks;
    return null;
  }

  @Override
  public void finished(Instance inst, InstanceState end, InstanceError err) {
    Transfers transfers = inst.ctx.data.transfers(inst.id);
    part.router.partFinished(
        new PartResult(
            inst.id,
            part.localWorker,
            end,
            sinks,
            err,
            inst.stats.invocations.sum(),
            inst.executed,
            inst.skipped,
            exports.edgesSent,
            transfers.localBytes(),
            transfers.peerBytes(),
            transfers.redisBytes(),
            inst.path.compute(),
            inst.path.data(),
            inst.ctx.data.retainsValues()));
    if (!inst.ctx.data.retainsValues()) {
      inst.ctx.data.release(inst.id); // its counters; the master sends no release
    }
  }

  @Override
  public void drained() {
    part.router.flush();
  }

  @Override
  public Partition partition() {
    return part;
  }
}

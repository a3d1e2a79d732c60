package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PlacementId;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.model.Edge;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes of a workflow this worker holds (WorkerSP). An instance with a partition fires only
 * its local triggers; an edge whose target is elsewhere becomes an {@link EdgeEvent} sent straight
 * to the target's worker.
 */
final class Partition {
  final String localWorker;
  final WorkflowKey key;
  final String[] workerOf;
  final boolean[] remote;
  final int localCount;
  final EventRouter router;

  /** The placement's {@link PlacementId}: which placement an instance was started with. */
  final long placementId;

  Partition(
      String localWorker,
      WorkflowKey key,
      CompiledWorkflow wf,
      Map<String, String> placement,
      EventRouter router) {
    this.localWorker = localWorker;
    this.key = key;
    this.router = router;
    int n = wf.size();
    this.workerOf = new String[n];
    this.remote = new boolean[n];
    int local = 0;
    for (int k = 0; k < n; k++) {
      String id = wf.triggers[k].nodeId;
      String w = placement.get(id);
      if (w == null) {
        throw new IllegalArgumentException(
            "placement of " + key + " does not name a worker for node '" + id + "'");
      }
      workerOf[k] = w;
      remote[k] = !w.equals(localWorker);
      if (!remote[k]) {
        local++;
      }
    }
    this.localCount = local;
    this.placementId = PlacementId.of(placement);
  }

  /**
   * Whether a node's result must be exported before its edges resolve: an edge that carries it (the
   * chosen {@code branch} of a switch) leads to another worker, or every value goes through the
   * store ({@code storesLocal}).
   */
  boolean needsExport(CompiledWorkflow wf, Trigger t, int branch, boolean storesLocal) {
    for (int e : t.outEdges) {
      Edge.Kind kind = wf.edgeKind[e];
      int to = wf.edgeTo[e];
      boolean carries = kind == Edge.Kind.NEXT || (kind == Edge.Kind.BRANCH && to == branch);
      if (carries && (storesLocal || remote[to])) {
        return true;
      }
    }
    return false;
  }

  /** The workers that hold a node's successors. */
  Set<String> consumerWorkers(CompiledWorkflow wf, Trigger t) {
    Set<String> workers = new TreeSet<>();
    for (int e : t.outEdges) {
      workers.add(workerOf[wf.edgeTo[e]]);
    }
    return workers;
  }

  /** Sends edge {@code edge} to its target's worker, with the critical path through its source. */
  void send(
      String instanceId,
      CompiledWorkflow wf,
      int edge,
      JsonNode payload,
      int attempt,
      long pathCompute,
      long pathData) {
    String from = wf.triggers[wf.edgeFrom[edge]].nodeId;
    String to = wf.triggers[wf.edgeTo[edge]].nodeId;
    String id = instanceId + "/" + from + "/" + attempt + "/edge/" + edge;
    router.send(
        workerOf[wf.edgeTo[edge]],
        new EdgeEvent(id, instanceId, key, edge, from, to, payload, pathCompute, pathData));
  }
}

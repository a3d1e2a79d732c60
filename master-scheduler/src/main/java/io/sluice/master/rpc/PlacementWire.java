package io.sluice.master.rpc;

import io.sluice.master.partition.HintRefiner;
import io.sluice.master.partition.Placement;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.MapSpread;
import io.sluice.proto.NodeAssignment;
import io.sluice.proto.NodeObservation;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.WorkflowRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between the wire messages and the domain records, for placement and worker capacity. Malformed
 * messages fail with {@link IllegalArgumentException} naming the field; the service edge turns that
 * into INVALID_ARGUMENT.
 */
public final class PlacementWire {
  private PlacementWire() {}

  public static io.sluice.proto.NodePlacement toProto(Placement p, WorkflowRef workflow) {
    var b =
        io.sluice.proto.NodePlacement.newBuilder()
            .setWorkflow(workflow)
            .setPartitioner(p.partitioner())
            .setCrossWorkerEdges(p.crossWorkerEdges())
            .setCrossWorkerBytes(p.crossWorkerBytes())
            .putAllNodesPerWorker(p.nodesPerWorker());
    p.workers()
        .forEach(
            (node, worker) ->
                b.addAssignments(NodeAssignment.newBuilder().setNodeId(node).setWorkerId(worker)));
    p.mapWorkers()
        .forEach(
            (node, workers) ->
                b.addMapSpreads(MapSpread.newBuilder().setNodeId(node).addAllWorkerIds(workers)));
    return b.build();
  }

  public static Placement fromProto(io.sluice.proto.NodePlacement p) {
    Map<String, String> workers = new LinkedHashMap<>();
    for (NodeAssignment a : p.getAssignmentsList()) {
      require(!a.getNodeId().isEmpty(), "placement.assignments.node_id");
      require(!a.getWorkerId().isEmpty(), "placement.assignments.worker_id of " + a.getNodeId());
      if (workers.put(a.getNodeId(), a.getWorkerId()) != null) {
        throw new IllegalArgumentException(
            "placement.assignments names node " + a.getNodeId() + " twice");
      }
    }
    Map<String, List<String>> spreads = new LinkedHashMap<>();
    for (MapSpread s : p.getMapSpreadsList()) {
      spreads.put(s.getNodeId(), List.copyOf(s.getWorkerIdsList()));
    }
    return new Placement(
        p.getPartitioner(),
        workers,
        spreads,
        p.getCrossWorkerEdges(),
        p.getCrossWorkerBytes(),
        p.getNodesPerWorkerMap());
  }

  /** A newly registered worker's capacity: all its slots and memory are free. */
  public static WorkerCapacity capacity(RegisterWorkerRequest r) {
    require(!r.getWorkerId().isEmpty(), "worker_id");
    return new WorkerCapacity(r.getWorkerId(), r.getSlots(), r.getMemoryBytes());
  }

  /** A worker's capacity as its heartbeat reports it. */
  public static WorkerCapacity capacity(HeartbeatRequest h) {
    require(!h.getWorkerId().isEmpty(), "worker_id");
    return new WorkerCapacity(h.getWorkerId(), h.getFreeSlots(), h.getFreeMemoryBytes());
  }

  /** A worker's container and FaaStore memory as its heartbeat reports it. */
  public static io.sluice.master.membership.WorkerMemory memory(HeartbeatRequest h) {
    return new io.sluice.master.membership.WorkerMemory(
        h.getContainersMemoryGrantedBytes(),
        h.getContainersMemoryUsedBytes(),
        h.getStoreBudgetBytes());
  }

  /** Feeds one node's reported samples to the refiner of its workflow. */
  public static void observe(NodeObservation o, HintRefiner refiner) {
    require(!o.getNodeId().isEmpty(), "observations.node_id");
    for (long nanos : o.getComputeNanosList()) {
      require(nanos >= 0, "observations.compute_nanos of " + o.getNodeId() + " (negative)");
      refiner.observeComputeTime(o.getNodeId(), Duration.ofNanos(nanos));
    }
    for (long bytes : o.getOutputBytesList()) {
      require(bytes >= 0, "observations.output_bytes of " + o.getNodeId() + " (negative)");
      refiner.observeOutputBytes(o.getNodeId(), bytes);
    }
  }

  private static void require(boolean ok, String field) {
    if (!ok) {
      throw new IllegalArgumentException("missing or invalid field " + field);
    }
  }
}

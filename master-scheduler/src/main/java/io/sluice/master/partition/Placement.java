package io.sluice.master.partition;

import io.sluice.model.Edge;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where each node of one workflow runs, and the figures that judge it. Immutable.
 *
 * @param partitioner the name of the partitioner that made it
 * @param workers node id -> worker id, in the graph's node order
 * @param mapWorkers for each map node, the workers its iterations may be spread over, its own
 *     worker first
 * @param crossWorkerEdges edges whose ends run on different workers
 * @param crossWorkerBytes bytes those edges are expected to carry (see {@link #edgeBytes})
 * @param nodesPerWorker how many nodes each used worker holds, by worker id
 */
public record Placement(
    String partitioner,
    Map<String, String> workers,
    Map<String, List<String>> mapWorkers,
    int crossWorkerEdges,
    long crossWorkerBytes,
    Map<String, Integer> nodesPerWorker) {

  public Placement {
    Objects.requireNonNull(partitioner, "partitioner");
    workers = Collections.unmodifiableMap(new LinkedHashMap<>(workers));
    Map<String, List<String>> spreads = new LinkedHashMap<>();
    mapWorkers.forEach((node, list) -> spreads.put(node, List.copyOf(list)));
    mapWorkers = Collections.unmodifiableMap(spreads);
    nodesPerWorker = Collections.unmodifiableMap(new TreeMap<>(nodesPerWorker));
  }

  /** A placement of {@code g} with its figures derived from the graph's edges and hints. */
  public static Placement of(
      String partitioner,
      WorkflowGraph g,
      Map<String, String> workers,
      Map<String, List<String>> mapWorkers) {
    for (String node : g.nodes().keySet()) {
      if (!workers.containsKey(node)) {
        throw new IllegalArgumentException(
            "placement of workflow " + g.name() + " leaves node " + node + " without a worker");
      }
    }
    int crossEdges = 0;
    long crossBytes = 0;
    for (Edge e : g.edges()) {
      String from = workers.get(e.from());
      String to = workers.get(e.to());
      if (from != null && to != null && !from.equals(to)) {
        crossEdges++;
        crossBytes += edgeBytes(g, e);
      }
    }
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String node : g.nodes().keySet()) {
      String worker = workers.get(node);
      ordered.put(node, worker);
      counts.merge(worker, 1, Integer::sum);
    }
    return new Placement(partitioner, ordered, mapWorkers, crossEdges, crossBytes, counts);
  }

  /**
   * The bytes an edge is expected to carry: its own hint, else (for NEXT and BRANCH edges) the
   * producer's output-bytes hint. A CATCH edge carries an error, not an output.
   */
  public static long edgeBytes(WorkflowGraph g, Edge e) {
    if (e.bytes() > 0 || e.kind() == Edge.Kind.CATCH) {
      return e.bytes();
    }
    var producer = g.node(e.from());
    return producer == null ? 0 : producer.options().hints().outputBytes();
  }

  /** The worker that runs {@code nodeId}, or null when the node is not part of this placement. */
  public String workerOf(String nodeId) {
    return workers.get(nodeId);
  }

  /** The nodes placed on {@code workerId}, in graph order. */
  public List<String> nodesOn(String workerId) {
    List<String> nodes = new ArrayList<>();
    workers.forEach(
        (node, worker) -> {
          if (worker.equals(workerId)) {
            nodes.add(node);
          }
        });
    return nodes;
  }
}

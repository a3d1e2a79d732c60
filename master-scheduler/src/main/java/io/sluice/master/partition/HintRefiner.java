package io.sluice.master.partition;

import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.Node;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Learns a workflow's hints from what runs: keeps the most recent compute times and output sizes
 * each node reported (a sliding window per node) and answers hints taken from a high percentile of
 * them, so the next partitioning weighs edges by observed rather than declared sizes. A node
 * without samples keeps its declared hints. One refiner per workflow version; thread-safe (workers'
 * heartbeats arrive on several threads).
 */
public final class HintRefiner {
  public static final int DEFAULT_WINDOW = 100;
  public static final double DEFAULT_PERCENTILE = 90;

  private final int window;
  private final double percentile;
  private final Map<String, DescriptiveStatistics> computeNanos = new HashMap<>();
  private final Map<String, DescriptiveStatistics> outputBytes = new HashMap<>();

  /** Windows of {@value #DEFAULT_WINDOW} samples, hints from the p{@value #DEFAULT_PERCENTILE}. */
  public HintRefiner() {
    this(DEFAULT_WINDOW, DEFAULT_PERCENTILE);
  }

  /**
   * @param window how many recent samples per node and measure are kept
   * @param percentile which percentile of them becomes the hint, in (0, 100]
   */
  public HintRefiner(int window, double percentile) {
    if (window < 1) {
      throw new IllegalArgumentException("sample window must be >= 1, got " + window);
    }
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
    }
    this.window = window;
    this.percentile = percentile;
  }

  public synchronized void observeComputeTime(String nodeId, Duration computeTime) {
    samples(computeNanos, nodeId).addValue(computeTime.toNanos());
  }

  public synchronized void observeOutputBytes(String nodeId, long bytes) {
    samples(outputBytes, nodeId).addValue(bytes);
  }

  /** The declared hints of a node with compute time and output bytes replaced where observed. */
  public synchronized Hints refine(String nodeId, Hints declared) {
    Hints h = declared;
    DescriptiveStatistics time = computeNanos.get(nodeId);
    if (time != null) {
      h = h.withComputeTime(Duration.ofNanos(Math.round(time.getPercentile(percentile))));
    }
    DescriptiveStatistics out = outputBytes.get(nodeId);
    if (out != null) {
      h = h.withOutputBytes(Math.round(out.getPercentile(percentile)));
    }
    return h;
  }

  /**
   * The graph with every node's hints refined. An edge's own bytes hint is scaled by how much its
   * producer's output grew or shrank (or replaced by the observed output when none was declared).
   */
  public WorkflowGraph refine(WorkflowGraph g) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    g.nodes().forEach((id, node) -> nodes.put(id, node.withHints(refine(id, hintsOf(node)))));
    List<Edge> edges = new ArrayList<>(g.edges().size());
    for (Edge e : g.edges()) {
      Node before = g.node(e.from());
      Node after = nodes.get(e.from());
      long bytes = e.bytes();
      if (bytes > 0 && before != null) {
        long declared = hintsOf(before).outputBytes();
        long observed = hintsOf(after).outputBytes();
        bytes = declared > 0 ? Math.round(bytes * ((double) observed / declared)) : observed;
      }
      edges.add(new Edge(e.from(), e.to(), e.kind(), bytes));
    }
    return new WorkflowGraph(
        g.name(), g.version(), nodes, edges, g.start(), g.functions(), g.output(), g.location());
  }

  private static Hints hintsOf(Node n) {
    return n.options().hints();
  }

  private DescriptiveStatistics samples(Map<String, DescriptiveStatistics> m, String nodeId) {
    return m.computeIfAbsent(nodeId, k -> new DescriptiveStatistics(window));
  }
}

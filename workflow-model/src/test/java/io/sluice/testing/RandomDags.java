package io.sluice.testing;

import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Seeded random DAGs of task nodes for property tests: 1..maxLayers layers of 1..maxWidth nodes;
 * every node past the first layer reads from 1..3 nodes of earlier layers (mostly the layer just
 * before, sometimes any earlier one), so the graphs have chains, fan-outs, fan-ins and joins, and
 * may have several roots and several sinks. Every node calls one function, {@code functionName} of
 * runtime {@code runtime}, and carries random hints (compute time, output bytes). Node ids are
 * {@code n0, n1, ...} in a topological order.
 */
public final class RandomDags {
  private RandomDags() {}

  /** The shape limits of a generated graph. */
  public record Shape(int maxLayers, int maxWidth, int maxFanIn) {
    public static final Shape SMALL = new Shape(5, 4, 3);
    public static final Shape MEDIUM = new Shape(8, 8, 4);
  }

  public static WorkflowGraph generate(
      SplittableRandom random, Shape shape, String functionName, String runtime) {
    int layers = random.nextInt(1, shape.maxLayers() + 1);
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    List<List<Integer>> byLayer = new ArrayList<>();
    int next = 0;
    for (int layer = 0; layer < layers; layer++) {
      int width = random.nextInt(1, shape.maxWidth() + 1);
      List<Integer> ids = new ArrayList<>();
      for (int k = 0; k < width; k++) {
        int v = next++;
        ids.add(v);
        Hints hints =
            new Hints(
                Duration.ofMillis(random.nextInt(1, 2_000)), random.nextLong(0, 50_000_000), 0, 0);
        String id = "n" + v;
        nodes.put(id, new TaskNode(id, functionName, NodeOptions.DEFAULT.withHints(hints)));
        if (layer > 0) {
          int fanIn = random.nextInt(1, shape.maxFanIn() + 1);
          TreeSet<Integer> from = new TreeSet<>();
          for (int f = 0; f < fanIn; f++) {
            int fromLayer = random.nextInt(4) == 0 ? random.nextInt(layer) : layer - 1;
            List<Integer> candidates = byLayer.get(fromLayer);
            from.add(candidates.get(random.nextInt(candidates.size())));
          }
          from.forEach(u -> edges.add(Edge.next("n" + u, id)));
        }
      }
      byLayer.add(ids);
    }
    Map<String, FunctionDef> functions =
        Map.of(functionName, new FunctionDef(functionName, runtime, null, Location.UNKNOWN));
    return new WorkflowGraph(
        "random-" + nodes.size(), "1", nodes, edges, List.of(), functions, null, null);
  }

  /** The predecessors of every node, in edge order. */
  public static Map<String, List<String>> predecessors(WorkflowGraph g) {
    Map<String, List<String>> preds = new LinkedHashMap<>();
    g.nodes().keySet().forEach(id -> preds.put(id, new ArrayList<>()));
    g.edges().forEach(e -> preds.get(e.to()).add(e.from()));
    return preds;
  }

  /** The nodes without outgoing edges, in node order. */
  public static List<String> sinks(WorkflowGraph g) {
    TreeSet<String> withOut = new TreeSet<>();
    g.edges().forEach(e -> withOut.add(e.from()));
    return g.nodes().keySet().stream().filter(id -> !withOut.contains(id)).toList();
  }
}

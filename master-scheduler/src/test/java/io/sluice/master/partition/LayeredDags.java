package io.sluice.master.partition;

import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Seeded random layered DAGs: every node of a layer reads from 1..3 nodes of the layer before. */
public final class LayeredDags {
  private LayeredDags() {}

  public static WorkflowGraph generate(int nodeCount, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      String id = "n" + i;
      Hints hints =
          new Hints(
              Duration.ofMillis(random.nextInt(10, 1000)),
              random.nextLong(1_000, 10_000_000),
              0,
              0);
      nodes.put(id, new TaskNode(id, "f", NodeOptions.DEFAULT.withHints(hints)));
      int layer = i / width;
      if (layer > 0) {
        int previousStart = (layer - 1) * width;
        int fanIn = random.nextInt(1, 4);
        Set<Integer> sources = new TreeSet<>();
        for (int k = 0; k < fanIn; k++) {
          sources.add(previousStart + random.nextInt(width));
        }
        sources.forEach(from -> edges.add(Edge.next("n" + from, id)));
      }
    }
    return new WorkflowGraph(
        "layered-" + nodeCount, "1", nodes, edges, List.of(), null, null, null);
  }
}

package io.sluice.master.partition;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.Hints;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small hand-made graphs for partitioner tests. */
final class Graphs {
  private Graphs() {}

  static TaskNode task(String id, long outputBytes) {
    Hints h = new Hints(Duration.ofMillis(100), outputBytes, 0, 0);
    return new TaskNode(id, "f", NodeOptions.DEFAULT.withHints(h));
  }

  static WorkflowGraph graph(List<? extends Node> nodes, List<Edge> edges) {
    Map<String, Node> byId = new LinkedHashMap<>();
    nodes.forEach(n -> byId.put(n.id(), n));
    return new WorkflowGraph("test", "1", byId, edges, List.of(), null, null, null);
  }

  /** n0 -> n1 -> ... each node emitting {@code bytes}. */
  static WorkflowGraph chain(int length, long bytes) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      nodes.add(task("n" + i, bytes));
      if (i > 0) {
        edges.add(Edge.next("n" + (i - 1), "n" + i));
      }
    }
    return graph(nodes, edges);
  }

  static MapNode map(String id) {
    WorkflowGraph iterator = graph(List.of(task("body", 10)), List.of());
    return new MapNode(id, Expr.of(".items"), iterator, 0, null);
  }

  static List<WorkerCapacity> workers(int count, int slots, long memory) {
    List<WorkerCapacity> list = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      list.add(new WorkerCapacity("w" + i, slots, memory));
    }
    return list;
  }
}

package io.sluice.engine;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Join;
import io.sluice.model.Location;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Seeded random DAGs for the engine crash fuzzer ({@link EngineCrashFuzzTest}): layers of task
 * nodes with switches (2..3 branches, the last one the default; everything below an unchosen branch
 * that no other path reaches is skipped, so joins after them eliminate dead paths), maps over a
 * small array (0..3 items, an iterator of one or two tasks) and joins: {@code join: all} (the
 * default, any node with several predecessors) and {@code join: N} (a quorum of task predecessors).
 * Tasks call {@value #FN}; quorum joins call {@value #QUORUM_FN}, whose result depends only on how
 * many inputs arrived (which N of the predecessors arrive first is a race), so the instance's
 * output is still a function of the graph and the input.
 */
final class CrashDags {
  static final String FN = "f";
  static final String QUORUM_FN = "q";

  private CrashDags() {}

  /** A generated graph and the nodes that join with a quorum (node id to N). */
  record Dag(WorkflowGraph graph, Map<String, Integer> quorums) {}

  static Dag generate(SplittableRandom random, String runtime) {
    Map<String, FunctionDef> functions = new LinkedHashMap<>();
    functions.put(FN, new FunctionDef(FN, runtime, null, Location.UNKNOWN));
    functions.put(QUORUM_FN, new FunctionDef(QUORUM_FN, runtime, null, Location.UNKNOWN));
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    Map<String, Integer> quorums = new LinkedHashMap<>();
    List<List<String>> byLayer = new ArrayList<>();
    Set<String> tasks = new TreeSet<>(); // plain tasks: what quorum joins read
    List<String> reserved = new ArrayList<>(); // branch targets due in the next layer
    int layers = random.nextInt(2, 11);
    int next = 0;
    for (int layer = 0; layer < layers; layer++) {
      List<String> ids = new ArrayList<>(reserved);
      reserved.clear();
      int width = random.nextInt(1, 7);
      for (int k = 0; k < width; k++) {
        String id = "n" + next++;
        ids.add(id);
        List<String> from = layer == 0 ? List.of() : predecessors(random, byLayer, layer);
        int roll = random.nextInt(100);
        List<String> taskPreds = from.stream().filter(tasks::contains).toList();
        if (layer > 0 && roll < 12 && layer < layers - 1) {
          int n = random.nextInt(2, 4);
          List<SwitchNode.Case> cases = new ArrayList<>();
          List<String> targets = new ArrayList<>();
          for (int b = 0; b < n; b++) {
            targets.add(id + "b" + b);
          }
          for (int b = 0; b < n - 1; b++) {
            cases.add(
                new SwitchNode.Case(
                    Expr.of("(tojson | length) % " + n + " == " + b), targets.get(b)));
          }
          nodes.put(id, new SwitchNode(id, cases, targets.get(n - 1), null));
          for (String t : targets) {
            nodes.put(t, new TaskNode(t, FN, null));
            tasks.add(t);
            edges.add(new Edge(id, t, Edge.Kind.BRANCH));
            reserved.add(t);
          }
        } else if (roll < 27) {
          WorkflowGraph iterator = iterator(random, id, functions);
          int items = random.nextInt(0, 4);
          Expr expr = Expr.of(". as $x | [range(0; " + items + ") | [., $x]]");
          nodes.put(id, new MapNode(id, expr, iterator, random.nextInt(0, 3), null));
        } else if (roll < 42 && taskPreds.size() >= 2) {
          int n = random.nextInt(1, taskPreds.size());
          quorums.put(id, n);
          from = taskPreds;
          nodes.put(id, new TaskNode(id, QUORUM_FN, NodeOptions.DEFAULT.withJoin(new Join(n))));
        } else {
          nodes.put(id, new TaskNode(id, FN, null));
          tasks.add(id);
        }
        for (String u : from) {
          edges.add(Edge.next(u, id));
        }
      }
      byLayer.add(ids);
    }
    WorkflowGraph g =
        new WorkflowGraph(
            "crash-" + nodes.size(), "1", nodes, edges, List.of(), functions, null, null);
    return new Dag(g, quorums);
  }

  /** 1..3 distinct nodes of earlier layers, mostly of the layer just before. */
  private static List<String> predecessors(
      SplittableRandom random, List<List<String>> byLayer, int layer) {
    int fanIn = random.nextInt(1, 4);
    TreeSet<String> from = new TreeSet<>();
    for (int f = 0; f < fanIn; f++) {
      int fromLayer = random.nextInt(4) == 0 ? random.nextInt(layer) : layer - 1;
      List<String> candidates = byLayer.get(fromLayer);
      from.add(candidates.get(random.nextInt(candidates.size())));
    }
    return new ArrayList<>(from);
  }

  /** A map's iterator: one task, or a chain of two. */
  private static WorkflowGraph iterator(
      SplittableRandom random, String mapId, Map<String, FunctionDef> functions) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    nodes.put(mapId + "i0", new TaskNode(mapId + "i0", FN, null));
    if (random.nextBoolean()) {
      nodes.put(mapId + "i1", new TaskNode(mapId + "i1", FN, null));
      edges.add(Edge.next(mapId + "i0", mapId + "i1"));
    }
    return new WorkflowGraph(mapId + "-item", "1", nodes, edges, List.of(), functions, null, null);
  }
}

package io.sluice.model.sw;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes and edges of one graph being built (the workflow, or an inner graph), and its scope.
 * Node ids are the task names; a second task of the same name in one graph gets {@code name_2}.
 * Helper nodes the translation adds are named {@code TASK__what} or {@code __what}, so {@link
 * #taskOf} finds the task a node belongs to. Tasks no flow reaches are dropped when the graph is
 * built: the DSL allows them, the validator would call them unreachable.
 */
final class SwFrame {
  final SwScope scope;
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final List<Edge> edges = new ArrayList<>();
  final Map<String, FunctionDef> functions = new LinkedHashMap<>();

  /** The JSON pointer of the task each task node stands for (error instances). */
  final Map<String, String> pointers = new LinkedHashMap<>();

  private final Set<String> ids = new HashSet<>();
  String start;

  SwFrame(SwScope scope) {
    this.scope = scope;
  }

  /** A fresh id for task {@code name}. */
  String idFor(String name) {
    String base = name.replace('/', '_').replace("__", "_");
    if (base.isEmpty()) {
      base = "task";
    }
    String id = base;
    for (int i = 2; !ids.add(id); i++) {
      id = base + "_" + i;
    }
    return id;
  }

  /** A fresh helper id {@code base__what}. */
  String helper(String base, String what) {
    String id = base + "__" + what;
    String out = id;
    for (int i = 2; !ids.add(out); i++) {
      out = id + i;
    }
    return out;
  }

  void add(Node n) {
    ids.add(n.id());
    nodes.put(n.id(), n);
  }

  void edge(String from, String to) {
    edges.add(Edge.next(from, to));
  }

  void branch(String from, String to) {
    edges.add(new Edge(from, to, Edge.Kind.BRANCH));
  }

  void catchEdge(String from, String to) {
    edges.add(new Edge(from, to, Edge.Kind.CATCH));
  }

  /** The task a node id belongs to: the id up to {@code __}; null for helpers of no task. */
  public static String taskOf(String nodeId) {
    int at = nodeId.indexOf("__");
    return at < 0 ? nodeId : at == 0 ? null : nodeId.substring(0, at);
  }

  WorkflowGraph build(String name, String version, Expr output, Location at) {
    Set<String> reached = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    if (start != null) {
      todo.add(start);
    }
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (reached.add(n)) {
        for (Edge e : edges) {
          if (e.from().equals(n)) {
            todo.add(e.to());
          }
        }
      }
    }
    Map<String, Node> kept = new LinkedHashMap<>();
    nodes.forEach(
        (id, n) -> {
          if (reached.contains(id)) {
            kept.put(id, n);
          }
        });
    List<Edge> keptEdges = new ArrayList<>();
    for (Edge e : edges) {
      if (reached.contains(e.from())) {
        keptEdges.add(e);
      }
    }
    return new WorkflowGraph(
        name,
        version,
        kept,
        keptEdges,
        start == null ? List.of() : List.of(start),
        functions,
        output,
        at);
  }
}

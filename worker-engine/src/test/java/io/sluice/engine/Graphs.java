package io.sluice.engine;

import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A terse graph builder for engine tests (the DSL is tested on its own). */
final class Graphs {
  private final String name;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
  private io.sluice.model.Expr output;

  private Graphs(String name) {
    this.name = name;
  }

  static Graphs graph(String name) {
    return new Graphs(name);
  }

  Graphs node(Node n) {
    nodes.put(n.id(), n);
    return this;
  }

  Graphs fn(String name) {
    functions.put(name, new FunctionDef(name, "test", null, Location.UNKNOWN));
    return this;
  }

  Graphs next(String from, String... to) {
    for (String t : to) {
      edges.add(Edge.next(from, t));
    }
    return this;
  }

  Graphs branch(String from, String... to) {
    for (String t : to) {
      edges.add(new Edge(from, t, Edge.Kind.BRANCH));
    }
    return this;
  }

  Graphs catchTo(String from, String to) {
    edges.add(new Edge(from, to, Edge.Kind.CATCH));
    return this;
  }

  Graphs output(String jq) {
    output = io.sluice.model.Expr.of(jq);
    return this;
  }

  WorkflowGraph build() {
    return new WorkflowGraph(name, "1", nodes, edges, List.of(), functions, output, null);
  }
}

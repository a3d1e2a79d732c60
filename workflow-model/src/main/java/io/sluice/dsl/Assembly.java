package io.sluice.dsl;

import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The nodes and edges of one graph being built from steps. */
final class Assembly {
  private final String name;
  private final Location location;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final LinkedHashSet<Edge> edges = new LinkedHashSet<>();

  Assembly(String name) {
    this.name = name;
    this.location = Location.dsl(name);
  }

  Location location() {
    return location;
  }

  Expr expr(String source) {
    return source == null ? null : new Expr(source, location);
  }

  /** Claims a node id (so nodes keep the order their steps were written in). */
  void reserve(String id) {
    if (nodes.containsKey(id)) {
      throw new DefinitionException(
          new Problem(location, id, "duplicate step id '" + id + "': step ids must be unique"));
    }
    nodes.put(id, null);
  }

  /** Puts the node of a reserved id. */
  void put(Node node) {
    nodes.put(node.id(), node);
  }

  void edge(String from, String to, Edge.Kind kind) {
    edges.add(new Edge(from, to, kind));
  }

  /** NEXT edges from every exit of one fragment to every entry of the next. */
  void link(Fragment before, Fragment after) {
    if (before.exits().isEmpty()) {
      throw new DefinitionException(
          new Problem(
              location,
              after.entries().isEmpty() ? null : after.entries().get(0),
              "this step follows a step that ends every path (an end step): nothing leads to it"));
    }
    for (String from : before.exits()) {
      for (String to : after.entries()) {
        edge(from, to, Edge.Kind.NEXT);
      }
    }
  }

  /** A single node id where control enters {@code f}; inner graphs and switch cases need one. */
  String singleEntry(Fragment f, String what) {
    if (f.entries().size() != 1) {
      throw new DefinitionException(
          new Problem(
              location,
              null,
              what
                  + " must start with one step, got "
                  + f.entries()
                  + ": put a pass step in front of a parallel"));
    }
    return f.entries().get(0);
  }

  WorkflowGraph graph(
      String version, List<String> start, Map<String, FunctionDef> functions, Expr output) {
    return new WorkflowGraph(
        name, version, nodes, new ArrayList<>(edges), start, functions, output, location);
  }

  /** The graph of one step on its own: an iterator or loop body named after its owner. */
  static WorkflowGraph inner(String ownerId, Step step) {
    Assembly a = new Assembly(ownerId);
    step.addTo(a);
    return a.graph("1", List.of(), Map.of(), null);
  }
}

package io.sluice.model.validate;

import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.GraphIndex;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.SwitchNode;
import io.sluice.model.WorkflowGraph;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that every edge joins two nodes of the graph and agrees with what its source declares:
 * BRANCH edges leave a switch towards one of its targets, CATCH edges go to a catcher's target.
 */
final class EdgeChecks {
  private final WorkflowGraph g;
  private final ProblemSink sink;

  EdgeChecks(WorkflowGraph g, ProblemSink sink) {
    this.g = g;
    this.sink = sink;
  }

  void run(GraphIndex idx) {
    for (Edge e : g.edges()) {
      Node from = g.node(e.from());
      if (from == null) {
        sink.add(
            g.location(),
            e.from(),
            "edge to '" + e.to() + "' leaves unknown node '" + e.from() + "'");
        continue;
      }
      if (e.kind() == Edge.Kind.BRANCH && !switchTargets(from).contains(e.to())) {
        sink.add(
            from.location(),
            from.id(),
            "BRANCH edge to '" + e.to() + "' matches no switch case or default of this node");
      }
      if (e.kind() == Edge.Kind.CATCH && catcherFor(from, e.to()) == null) {
        sink.add(
            from.location(),
            from.id(),
            "CATCH edge to '" + e.to() + "' matches no catch entry of this node");
      }
      if (g.node(e.to()) == null) {
        sink.add(
            locationOf(from, e),
            from.id(),
            describe(e.kind()) + " '" + e.to() + "' is not a node of this workflow");
      }
    }
    for (Node n : g.nodes().values()) {
      if (n instanceof SwitchNode s) {
        if (s.cases().isEmpty()) {
          sink.add(s.location(), s.id(), "switch has no cases; add at least one {when, next}");
        }
        for (String t : switchTargets(s)) {
          if (!hasEdge(idx, s.id(), t, Edge.Kind.BRANCH)) {
            sink.add(s.location(), s.id(), "switch target '" + t + "' has no BRANCH edge");
          }
        }
      }
      for (Catcher c : n.options().catchers()) {
        if (!hasEdge(idx, n.id(), c.next(), Edge.Kind.CATCH)) {
          sink.add(c.location(), n.id(), "catch target '" + c.next() + "' has no CATCH edge");
        }
      }
    }
  }

  private static String describe(Edge.Kind kind) {
    return switch (kind) {
      case NEXT -> "next";
      case BRANCH -> "switch target";
      case CATCH -> "catch target";
    };
  }

  private static Location locationOf(Node from, Edge e) {
    if (e.kind() == Edge.Kind.CATCH) {
      Catcher c = catcherFor(from, e.to());
      return c == null ? from.location() : c.location();
    }
    if (e.kind() == Edge.Kind.BRANCH && from instanceof SwitchNode s) {
      for (SwitchNode.Case c : s.cases()) {
        if (c.target().equals(e.to()) && c.condition().location().line() > 0) {
          return c.condition().location();
        }
      }
    }
    return from.location();
  }

  private static Set<String> switchTargets(Node n) {
    Set<String> out = new HashSet<>();
    if (n instanceof SwitchNode s) {
      s.cases().forEach(c -> out.add(c.target()));
      if (s.defaultTarget() != null) {
        out.add(s.defaultTarget());
      }
    }
    return out;
  }

  private static Catcher catcherFor(Node n, String target) {
    for (Catcher c : n.options().catchers()) {
      if (c.next().equals(target)) {
        return c;
      }
    }
    return null;
  }

  private boolean hasEdge(GraphIndex idx, String from, String to, Edge.Kind kind) {
    if (g.node(to) == null) {
      return true; // reported as a dangling target already (or not an edge of this graph at all)
    }
    List<Edge> out = idx.outgoing(from);
    for (Edge e : out) {
      if (e.kind() == kind && e.to().equals(to)) {
        return true;
      }
    }
    return false;
  }
}

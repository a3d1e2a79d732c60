package io.sluice.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adjacency of a graph by dense integer index, for code that walks a graph many times (the
 * validator, the trigger compiler, the partitioner). Edges to or from unknown ids are left out
 * (the validator reports them).
 */
public final class GraphIndex {
  private final List<String> ids;
  private final Map<String, Integer> indexOf;
  private final List<List<Edge>> out;
  private final List<List<Edge>> in;

  private GraphIndex(WorkflowGraph g) {
    ids = List.copyOf(g.nodes().keySet());
    indexOf = new HashMap<>(ids.size() * 2);
    out = new ArrayList<>(ids.size());
    in = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      indexOf.put(ids.get(i), i);
      out.add(new ArrayList<>(2));
      in.add(new ArrayList<>(2));
    }
    for (Edge e : g.edges()) {
      Integer f = indexOf.get(e.from());
      Integer t = indexOf.get(e.to());
      if (f != null && t != null) {
        out.get(f).add(e);
        in.get(t).add(e);
      }
    }
  }

  public static GraphIndex of(WorkflowGraph g) {
    return new GraphIndex(g);
  }

  public int size() {
    return ids.size();
  }

  public String id(int index) {
    return ids.get(index);
  }

  /** The dense index of a node id, or -1. */
  public int index(String id) {
    Integer i = indexOf.get(id);
    return i == null ? -1 : i;
  }

  public List<Edge> outgoing(String id) {
    int i = index(id);
    return i < 0 ? List.of() : out.get(i);
  }

  public List<Edge> incoming(String id) {
    int i = index(id);
    return i < 0 ? List.of() : in.get(i);
  }

  /** The entry nodes: the declared start, else every node without incoming edges. */
  public List<String> entries(WorkflowGraph g) {
    if (!g.start().isEmpty()) {
      return g.start();
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (in.get(i).isEmpty()) {
        result.add(ids.get(i));
      }
    }
    return result;
  }

  /** The sinks: nodes without outgoing NEXT or BRANCH edges. */
  public List<String> sinks() {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      boolean sink = true;
      for (Edge e : out.get(i)) {
        if (e.kind() != Edge.Kind.CATCH) {
          sink = false;
          break;
        }
      }
      if (sink) {
        result.add(ids.get(i));
      }
    }
    return result;
  }
}

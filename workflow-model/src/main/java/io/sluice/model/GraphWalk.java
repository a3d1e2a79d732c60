package io.sluice.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one walk over a workflow graph and the graphs nested in it ({@link Node#innerGraph()}: map
 * iterators, loop bodies, sub-workflows, at any depth).
 *
 * <p><b>Order.</b> The walk is depth-first and pre-order, and deterministic: it depends only on the
 * graph, never on hashing or timing. It enters the root graph, then visits that graph's nodes in
 * definition order ({@link WorkflowGraph#nodes()}); right after a node that has an inner graph it
 * enters that graph and walks it the same way, completely, before it goes on to the node's next
 * sibling; it leaves a graph after its last node (and that node's inner graphs). So for a root
 * {@code [a, m[x, y], b]} where {@code m} is a map: enter root, a, m, enter m's iterator, x, y,
 * leave m's iterator, b, leave root. Every node is visited exactly once per path that leads to it
 * (a graph object reachable under two nodes is walked twice, once under each, with different
 * paths), and every graph is entered and left exactly once per path, empty graphs included.
 *
 * <p><b>Paths.</b> Each node and graph comes with the nodes that enclose it, outermost first; its
 * {@link NestedNode#path() path} joins their ids and its own with {@code /} (node ids never contain
 * {@code /}): {@code m/x} above. The validator, the trigger compiler and event subjects name nested
 * nodes the same way.
 *
 * <p>The walk is iterative: deep nesting costs heap, not stack. Graphs are immutable, so the
 * nesting is a tree (or a DAG of shared graphs) and the walk always ends.
 */
public final class GraphWalk {
  private GraphWalk() {}

  /** Receives the walk's events; every method does nothing unless overridden. */
  public interface Visitor {
    /** Before the nodes of {@code g} (the root first, then each inner graph as it is reached). */
    default void enterGraph(NestedGraph g) {}

    /** One node, before its inner graph (if any) is entered. */
    default void visitNode(NestedNode n) {}

    /** After the last node of {@code g} and everything nested in it. */
    default void leaveGraph(NestedGraph g) {}
  }

  /**
   * A graph as the walk reaches it.
   *
   * @param enclosing the nodes whose inner graphs lead here, outermost first; empty for the root
   * @param graph the graph
   */
  public record NestedGraph(List<Node> enclosing, WorkflowGraph graph) {
    public NestedGraph {
      enclosing = List.copyOf(enclosing);
    }

    /** Whether this is the graph the walk started from. */
    public boolean isRoot() {
      return enclosing.isEmpty();
    }

    /** The node this graph is the inner graph of; null for the root. */
    public Node owner() {
      return enclosing.isEmpty() ? null : enclosing.get(enclosing.size() - 1);
    }

    /** How many graphs enclose this one: 0 for the root. */
    public int depth() {
      return enclosing.size();
    }

    /**
     * What the paths of this graph's nodes start with: the enclosing ids, each followed by {@code
     * /}; empty for the root ({@code "m/"} for the iterator of a top-level map {@code m}).
     */
    public String prefix() {
      StringBuilder sb = new StringBuilder();
      for (Node n : enclosing) {
        sb.append(n.id()).append('/');
      }
      return sb.toString();
    }
  }

  /**
   * A node as the walk reaches it.
   *
   * @param in the graph the node belongs to, with the nodes enclosing that graph
   * @param node the node
   */
  public record NestedNode(NestedGraph in, Node node) {
    /** The graph the node belongs to directly. */
    public WorkflowGraph graph() {
      return in.graph();
    }

    /** The nodes whose inner graphs enclose this node, outermost first; empty at the top level. */
    public List<Node> enclosing() {
      return in.enclosing();
    }

    /** The enclosing ids and the node's own, joined with {@code /}: {@code outer/inner/id}. */
    public String path() {
      return in.prefix() + node.id();
    }

    /** How many graphs enclose the node's own graph: 0 for a node of the root graph. */
    public int depth() {
      return in.depth();
    }
  }

  /** Walks {@code root} and every graph nested in it, in the order described above. */
  public static void depthFirst(WorkflowGraph root, Visitor visitor) {
    Deque<Frame> stack = new ArrayDeque<>();
    NestedGraph top = new NestedGraph(List.of(), root);
    visitor.enterGraph(top);
    stack.push(new Frame(top));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (!f.nodes.hasNext()) {
        stack.pop();
        visitor.leaveGraph(f.graph);
        continue;
      }
      Node n = f.nodes.next();
      visitor.visitNode(new NestedNode(f.graph, n));
      WorkflowGraph inner = n.innerGraph().orElse(null);
      if (inner != null) {
        List<Node> enclosing = new ArrayList<>(f.graph.enclosing());
        enclosing.add(n);
        NestedGraph g = new NestedGraph(enclosing, inner);
        visitor.enterGraph(g);
        stack.push(new Frame(g));
      }
    }
  }

  /** Every node of {@code root} and of the graphs nested in it, in walk order. */
  public static Stream<NestedNode> nodes(WorkflowGraph root) {
    List<NestedNode> out = new ArrayList<>();
    depthFirst(
        root,
        new Visitor() {
          @Override
          public void visitNode(NestedNode n) {
            out.add(n);
          }
        });
    return out.stream();
  }

  /** {@code root} and every graph nested in it, each in the order the walk enters it. */
  public static Stream<NestedGraph> graphs(WorkflowGraph root) {
    List<NestedGraph> out = new ArrayList<>();
    depthFirst(
        root,
        new Visitor() {
          @Override
          public void enterGraph(NestedGraph g) {
            out.add(g);
          }
        });
    return out.stream();
  }

  private static final class Frame {
    final NestedGraph graph;
    final Iterator<Node> nodes;

    Frame(NestedGraph graph) {
      this.graph = graph;
      this.nodes = graph.graph().nodes().values().iterator();
    }
  }
}

package io.sluice.model.format;

import io.sluice.model.Edge;
import io.sluice.model.GraphWalk;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;

/**
 * Writes a workflow graph in Graphviz DOT: one box per node (its kind and function), solid NEXT
 * edges, dashed BRANCH edges, red dotted CATCH edges. Inner graphs of maps, loops and sub-workflows
 * are drawn as clusters.
 */
public final class DotWriter {
  private DotWriter() {}

  public static String toDot(WorkflowGraph g) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote(g.name())).append(" {\n");
    sb.append("  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n");
    GraphWalk.depthFirst(g, new Writer(sb));
    return sb.append("}\n").toString();
  }

  /** Nodes as the walk visits them, each inner graph as a cluster, a graph's edges as it ends. */
  private record Writer(StringBuilder sb) implements GraphWalk.Visitor {
    @Override
    public void enterGraph(GraphWalk.NestedGraph g) {
      Node owner = g.owner();
      if (owner != null) {
        String indent = indent(g.depth());
        sb.append(indent).append("subgraph ").append(quote("cluster_" + g.prefix())).append(" {\n");
        sb.append(indent)
            .append("  label=")
            .append(quote(owner.id() + " (" + owner.kind() + ")"))
            .append(";\n");
      }
    }

    @Override
    public void visitNode(GraphWalk.NestedNode nested) {
      Node n = nested.node();
      String label =
          n instanceof TaskNode t
              ? n.id() + "\\n" + t.function()
              : n.id() + "\\n[" + n.kind() + "]";
      sb.append(indent(nested.depth() + 1))
          .append(quote(nested.path()))
          .append(" [label=")
          .append(quote(label))
          .append(shape(n))
          .append("];\n");
    }

    @Override
    public void leaveGraph(GraphWalk.NestedGraph g) {
      String indent = indent(g.depth() + 1);
      String prefix = g.prefix();
      for (Edge e : g.graph().edges()) {
        sb.append(indent)
            .append(quote(prefix + e.from()))
            .append(" -> ")
            .append(quote(prefix + e.to()))
            .append(
                switch (e.kind()) {
                  case NEXT -> "";
                  case BRANCH -> " [style=dashed]";
                  case CATCH -> " [style=dotted, color=red]";
                })
            .append(";\n");
      }
      if (!g.isRoot()) {
        sb.append(indent(g.depth())).append("}\n");
      }
    }

    private static String indent(int level) {
      return "  ".repeat(level);
    }
  }

  private static String shape(Node n) {
    return switch (n.kind()) {
      case "switch" -> ", shape=diamond";
      case "end" -> ", shape=doublecircle";
      case "wait", "event" -> ", shape=ellipse";
      case "pass" -> ", shape=box, style=rounded";
      default -> "";
    };
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
  }
}

package io.sluice.model.format;

import io.sluice.model.Edge;
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
    write(g, "", sb, "  ");
    return sb.append("}\n").toString();
  }

  private static void write(WorkflowGraph g, String prefix, StringBuilder sb, String indent) {
    for (Node n : g.nodes().values()) {
      String label =
          n instanceof TaskNode t
              ? n.id() + "\\n" + t.function()
              : n.id() + "\\n[" + n.kind() + "]";
      sb.append(indent)
          .append(quote(prefix + n.id()))
          .append(" [label=")
          .append(quote(label))
          .append(shape(n))
          .append("];\n");
      WorkflowGraph inner = InnerGraphs.of(n);
      if (inner != null) {
        String p = prefix + n.id() + "/";
        sb.append(indent).append("subgraph ").append(quote("cluster_" + p)).append(" {\n");
        sb.append(indent)
            .append("  label=")
            .append(quote(n.id() + " (" + n.kind() + ")"))
            .append(";\n");
        write(inner, p, sb, indent + "  ");
        sb.append(indent).append("}\n");
      }
    }
    for (Edge e : g.edges()) {
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

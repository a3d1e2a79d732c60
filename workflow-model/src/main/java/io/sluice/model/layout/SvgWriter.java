package io.sluice.model.layout;

import io.sluice.model.Edge;
import java.util.Map;

/**
 * Draws a {@link GraphLayout.Drawing} as SVG: a rounded box per node with its id and function (or
 * kind), arrows for edges (dashed for switch branches, red dotted for catches). {@code fill} gives
 * a node's colour (e.g. by its state in an instance); nodes it does not name are white.
 */
public final class SvgWriter {
  private SvgWriter() {}

  public static String toSvg(GraphLayout.Drawing d) {
    return toSvg(d, Map.of());
  }

  public static String toSvg(GraphLayout.Drawing d, Map<String, String> fill) {
    StringBuilder sb = new StringBuilder(256 + 320 * d.boxes().size());
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(d.width())
        .append("\" height=\"")
        .append(d.height())
        .append("\" viewBox=\"0 0 ")
        .append(d.width())
        .append(' ')
        .append(d.height())
        .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .append(" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (GraphLayout.Line l : d.lines()) {
      GraphLayout.Box a = d.boxes().get(l.from());
      GraphLayout.Box b = d.boxes().get(l.to());
      sb.append("<line x1=\"")
          .append(a.centerX())
          .append("\" y1=\"")
          .append(a.y() + GraphLayout.BOX_HEIGHT)
          .append("\" x2=\"")
          .append(b.centerX())
          .append("\" y2=\"")
          .append(b.y())
          .append("\" stroke=\"")
          .append(l.kind() == Edge.Kind.CATCH ? "#c0392b" : "#555")
          .append('"')
          .append(
              switch (l.kind()) {
                case NEXT -> "";
                case BRANCH -> " stroke-dasharray=\"6,4\"";
                case CATCH -> " stroke-dasharray=\"2,3\"";
              })
          .append(" marker-end=\"url(#arrow)\"/>\n");
    }
    for (GraphLayout.Box b : d.boxes().values()) {
      sb.append("<g class=\"node\" data-node=\"")
          .append(escape(b.id()))
          .append("\"><rect x=\"")
          .append(b.x())
          .append("\" y=\"")
          .append(b.y())
          .append("\" width=\"")
          .append(GraphLayout.BOX_WIDTH)
          .append("\" height=\"")
          .append(GraphLayout.BOX_HEIGHT)
          .append("\" rx=\"6\" fill=\"")
          .append(escape(fill.getOrDefault(b.id(), "#ffffff")))
          .append("\" stroke=\"#333\"/>");
      text(sb, b, b.id(), 16, true);
      text(sb, b, b.label(), 31, false);
      sb.append("</g>\n");
    }
    return sb.append("</svg>\n").toString();
  }

  private static void text(StringBuilder sb, GraphLayout.Box b, String s, int dy, boolean bold) {
    sb.append("<text x=\"")
        .append(b.centerX())
        .append("\" y=\"")
        .append(b.y() + dy)
        .append("\" text-anchor=\"middle\"")
        .append(bold ? " font-weight=\"bold\"" : " fill=\"#444\"")
        .append('>')
        .append(escape(fit(s)))
        .append("</text>");
  }

  /** Labels longer than a box holds end in an ellipsis (about 7 px per character at 12 px). */
  static String fit(String s) {
    int max = (GraphLayout.BOX_WIDTH - 10) / 7;
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

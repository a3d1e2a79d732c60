package io.sluice.cli;

import io.sluice.model.Edge;
import io.sluice.model.layout.GraphLayout;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Paints a {@link GraphLayout.Drawing} into a PNG with Java2D (headless AWT, part of the JDK), the
 * same boxes and lines the SVG has, so {@code sluice graph --format png} needs no Graphviz.
 */
final class PngDrawing {
  private static final Color LINE = new Color(0x55, 0x55, 0x55);
  private static final Color CATCH = new Color(0xc0, 0x39, 0x2b);

  private PngDrawing() {}

  static byte[] png(GraphLayout.Drawing d) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, d.width(), d.height());
      for (GraphLayout.Line l : d.lines()) {
        line(g, d.boxes().get(l.from()), d.boxes().get(l.to()), l.kind());
      }
      Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 12);
      Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      for (GraphLayout.Box b : d.boxes().values()) {
        g.setColor(Color.WHITE);
        g.fillRoundRect(b.x(), b.y(), GraphLayout.BOX_WIDTH, GraphLayout.BOX_HEIGHT, 12, 12);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(b.x(), b.y(), GraphLayout.BOX_WIDTH, GraphLayout.BOX_HEIGHT, 12, 12);
        text(g, bold, Color.BLACK, b, b.id(), 16);
        text(g, plain, Color.DARK_GRAY, b, b.label(), 31);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void line(Graphics2D g, GraphLayout.Box a, GraphLayout.Box b, Edge.Kind kind) {
    float[] dash =
        switch (kind) {
          case NEXT -> null;
          case BRANCH -> new float[] {6, 4};
          case CATCH -> new float[] {2, 3};
        };
    g.setColor(kind == Edge.Kind.CATCH ? CATCH : LINE);
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    int x1 = a.centerX();
    int y1 = a.y() + GraphLayout.BOX_HEIGHT;
    int x2 = b.centerX();
    int y2 = b.y();
    g.drawLine(x1, y1, x2, y2);
    double angle = Math.atan2(y2 - y1, x2 - x1);
    Path2D head = new Path2D.Double();
    head.moveTo(x2, y2);
    head.lineTo(x2 - 8 * Math.cos(angle - 0.4), y2 - 8 * Math.sin(angle - 0.4));
    head.lineTo(x2 - 8 * Math.cos(angle + 0.4), y2 - 8 * Math.sin(angle + 0.4));
    head.closePath();
    g.fill(head);
  }

  private static void text(
      Graphics2D g, Font font, Color color, GraphLayout.Box b, String s, int baseline) {
    g.setFont(font);
    g.setColor(color);
    FontMetrics m = g.getFontMetrics();
    String t = s;
    while (t.length() > 1 && m.stringWidth(t) > GraphLayout.BOX_WIDTH - 10) {
      t = t.substring(0, t.length() - 2) + "…";
    }
    g.drawString(t, b.centerX() - m.stringWidth(t) / 2, b.y() + baseline);
  }
}

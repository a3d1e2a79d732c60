package io.sluice.bench.workflow;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of a run, drawn headless with XChart at 1000x600: per workflow the latency CDF (a
 * line per configuration) and the two overheads (grouped bars per configuration), and, when the
 * sweep offered more than one load, achieved throughput against offered load.
 */
final class Charts {
  static final int WIDTH = 1000;
  static final int HEIGHT = 600;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Draws every chart into {@code dir}; returns the file names written, in summary order. */
  static List<String> draw(Path dir, List<Result> results, Sweep sweep) throws IOException {
    List<String> files = new ArrayList<>();
    List<String> varying = sweep.varying();
    for (String w : ResultFiles.workflows(results)) {
      List<Result> rs = results.stream().filter(r -> r.workflow().equals(w)).toList();
      files.add(save(latencyCdf(w, rs, varying), dir, "latency-cdf-wf-" + slug(w)));
      files.add(save(overheads(w, rs, varying), dir, "overhead-wf-" + slug(w)));
      if (sweep.loads().size() > 1) {
        files.add(save(throughput(w, rs, sweep), dir, "throughput-wf-" + slug(w)));
      }
    }
    return files;
  }

  /** A workflow name as a file name part. */
  static String slug(String workflow) {
    return workflow.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String save(
      org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String name)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapFormat.PNG);
    return name + ".png";
  }

  static XYChart latencyCdf(String workflow, List<Result> rs, List<String> varying) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(workflow + ": end-to-end latency CDF (client-observed, completed instances)")
            .xAxisTitle("end-to-end latency (ms)")
            .yAxisTitle("instances at or below (%)")
            .build();
    style(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Result r : rs) {
      double[] lat = r.sortedLatenciesMs();
      if (lat.length == 0) {
        continue;
      }
      min = Math.min(min, lat[0]);
      max = Math.max(max, lat[lat.length - 1]);
      // A step function: each sample raises the curve by 1/n at its latency.
      double[] x = new double[lat.length * 2];
      double[] y = new double[lat.length * 2];
      for (int i = 0; i < lat.length; i++) {
        x[2 * i] = lat[i];
        y[2 * i] = 100.0 * i / lat.length;
        x[2 * i + 1] = lat[i];
        y[2 * i + 1] = 100.0 * (i + 1) / lat.length;
      }
      XYSeries s = c.addSeries(unique(c.getSeriesMap(), r.config().label(varying)), x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(new BasicStroke(2.2f));
    }
    if (c.getSeriesMap().isEmpty()) {
      c.addSeries("no completed instance", new double[] {0}, new double[] {0});
    } else if (min > 0 && max / min > 30) {
      c.getStyler().setXAxisLogarithmic(true);
      c.setXAxisTitle("end-to-end latency (ms, log scale)");
    }
    return c;
  }

  static CategoryChart overheads(String workflow, List<Result> rs, List<String> varying) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(workflow + ": overheads per instance (median)")
            .xAxisTitle("configuration")
            .yAxisTitle("time (ms)")
            .build();
    style(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setOverlapped(false);
    c.getStyler().setXAxisLabelRotation(rs.size() > 6 ? 30 : 0);
    c.getStyler().setLabelsVisible(false);
    c.getStyler().setYAxisMin(0.0);
    List<String> labels = new ArrayList<>();
    List<Double> sched = new ArrayList<>();
    List<Double> data = new ArrayList<>();
    for (Result r : rs) {
      labels.add(r.config().label(varying));
      sched.add(zeroIfNaN(r.schedulingOverheadMs()));
      data.add(zeroIfNaN(r.dataOverheadMs()));
    }
    c.addSeries("scheduling overhead (elapsed - critical-path compute)", labels, sched);
    c.addSeries("data overhead (critical-path store/fetch time)", labels, data);
    return c;
  }

  static XYChart throughput(String workflow, List<Result> rs, Sweep sweep) {
    boolean closed = sweep.closedLoop();
    String loadDim = closed ? "clients" : "rate";
    List<String> others = new ArrayList<>(sweep.varying());
    others.remove(loadDim);
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(workflow + ": achieved throughput vs offered load")
            .xAxisTitle(
                closed
                    ? "offered load (concurrent clients, closed loop)"
                    : "offered load (instances/s, Poisson arrivals)")
            .yAxisTitle("achieved throughput (completed instances/s)")
            .build();
    style(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setXAxisMin(0.0);
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (Result r : rs) {
      String label = others.isEmpty() ? "achieved" : r.config().label(others);
      double offered = closed ? r.config().load().clients() : r.config().load().rate();
      series
          .computeIfAbsent(label, k -> new ArrayList<>())
          .add(new double[] {offered, zeroIfNaN(r.instancesPerSec())});
    }
    series.forEach(
        (label, points) -> {
          points.sort((a, b) -> Double.compare(a[0], b[0]));
          XYSeries s =
              c.addSeries(
                  label,
                  points.stream().mapToDouble(p -> p[0]).toArray(),
                  points.stream().mapToDouble(p -> p[1]).toArray());
          s.setMarker(SeriesMarkers.CIRCLE);
          s.setLineStyle(new BasicStroke(2.2f));
        });
    if (!closed) {
      double top = rs.stream().mapToDouble(r -> r.config().load().rate()).max().orElse(1);
      XYSeries ideal =
          c.addSeries("nominal offered rate", new double[] {0, top}, new double[] {0, top});
      ideal.setMarker(SeriesMarkers.NONE);
      ideal.setLineColor(Color.GRAY);
      ideal.setLineStyle(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
    }
    return c;
  }

  private static void style(org.knowm.xchart.style.AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(220, 220, 220));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendBorderColor(new Color(200, 200, 200));
    s.setDecimalPattern("#,##0.##");
    s.setLocale(Locale.ROOT);
  }

  private static String unique(Map<String, ?> existing, String label) {
    String l = label;
    for (int i = 2; existing.containsKey(l); i++) {
      l = label + " (" + i + ")";
    }
    return l;
  }

  private static double zeroIfNaN(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}

package io.sluice.bench.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The harness's text outputs: results.csv (a row per workflow and configuration), samples.csv (a
 * row per measured instance), summary.md (a table per workflow with each configuration's ratio to
 * its baseline) and the table printed without {@code --json}.
 */
final class ResultFiles {
  static final List<String> SAMPLE_COLUMNS =
      List.of(
          "seq",
          "instanceId",
          "status",
          "startMs",
          "latencyMs",
          "elapsedMs",
          "computeMs",
          "dataMs",
          "schedulingOverheadMs",
          "invocations",
          "masterMessages",
          "masterBytes",
          "crossWorkerEvents",
          "bytesLocal",
          "bytesPeer",
          "bytesRedis",
          "error");

  private ResultFiles() {}

  static void writeResults(Path file, List<Result> results) throws IOException {
    StringBuilder b = new StringBuilder(Csv.line(Rows.resultHeader()));
    for (Result r : results) {
      b.append(Csv.line(Rows.result(r).values().stream().map(Rows::text).toList()));
    }
    Files.writeString(file, b.toString());
  }

  static void writeSamples(Path file, List<Result> results) throws IOException {
    List<String> header = new ArrayList<>(Rows.CONFIG_COLUMNS);
    header.addAll(SAMPLE_COLUMNS);
    StringBuilder b = new StringBuilder(Csv.line(header));
    for (Result r : results) {
      List<String> config =
          Rows.config(r.workflow(), r.config()).values().stream().map(Rows::text).toList();
      for (Sample s : r.samples()) {
        List<String> f = new ArrayList<>(config);
        f.add(Integer.toString(s.seq()));
        f.add(s.instanceId());
        f.add(s.ok() ? "completed" : "failed");
        f.add(ms(s.startNanos()));
        f.add(ms(s.latencyNanos()));
        f.add(ms(s.elapsedNanos()));
        f.add(ms(s.computeNanos()));
        f.add(ms(s.dataNanos()));
        f.add(ms(s.schedulingOverheadNanos()));
        f.add(Long.toString(s.invocations()));
        f.add(Long.toString(s.masterMessages()));
        f.add(Long.toString(s.masterBytes()));
        f.add(Long.toString(s.crossWorkerEvents()));
        f.add(Long.toString(s.bytesLocal()));
        f.add(Long.toString(s.bytesPeer()));
        f.add(Long.toString(s.bytesRedis()));
        f.add(s.error());
        b.append(Csv.line(f));
      }
    }
    Files.writeString(file, b.toString());
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** The workflows of the results, in run order. */
  static List<String> workflows(List<Result> results) {
    Set<String> w = new LinkedHashSet<>();
    results.forEach(r -> w.add(r.workflow()));
    return new ArrayList<>(w);
  }

  /**
   * summary.md: the run's header lines (command, machine), then per workflow a table of its
   * configurations with p50/p95/p99, the two overheads, throughput, failures, and the ratios of
   * p50, scheduling overhead and data overhead to the baseline row; then the charts.
   */
  static void writeSummary(
      Path file,
      List<Result> results,
      Sweep sweep,
      Baseline baseline,
      List<String> header,
      List<String> charts)
      throws IOException {
    StringBuilder b = new StringBuilder("# Workflow benchmark\n\n");
    header.forEach(h -> b.append("- ").append(h).append('\n'));
    b.append(
        baseline.isEmpty()
            ? "- Baseline: none (neither mode=master nor store=redis is in the sweep; give"
                + " --baseline)\n"
            : "- Baseline: "
                + baseline.describe()
                + ", same other values; the × columns are this row / the baseline row (below 1:"
                + " less than the baseline)\n");
    b.append('\n');
    List<String> varying = sweep.varying();
    for (String w : workflows(results)) {
      b.append("## ").append(w).append("\n\n");
      b.append(
          "| configuration | instances | failed | p50 ms | p95 ms | p99 ms | sched. overhead ms |"
              + " data overhead ms | instances/s | master msgs | p50 × | sched. × | data × |\n");
      b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Result r : results) {
        if (!r.workflow().equals(w)) {
          continue;
        }
        Result base = baseline.find(r, results).orElse(null);
        b.append("| ")
            .append(r.config().label(varying))
            .append(base == r ? " (baseline)" : "")
            .append(" | ")
            .append(r.instances())
            .append(" | ")
            .append(r.failed())
            .append(" | ")
            .append(Format.ms(r.p50Ms()))
            .append(" | ")
            .append(Format.ms(r.p95Ms()))
            .append(" | ")
            .append(Format.ms(r.p99Ms()))
            .append(" | ")
            .append(Format.ms(r.schedulingOverheadMs()))
            .append(" | ")
            .append(Format.ms(r.dataOverheadMs()))
            .append(" | ")
            .append(Format.ms(r.instancesPerSec()))
            .append(" | ")
            .append(Format.num(r.masterMessages()))
            .append(" | ")
            .append(ratio(r.p50Ms(), base == null ? Double.NaN : base.p50Ms()))
            .append(" | ")
            .append(
                ratio(
                    r.schedulingOverheadMs(),
                    base == null ? Double.NaN : base.schedulingOverheadMs()))
            .append(" | ")
            .append(ratio(r.dataOverheadMs(), base == null ? Double.NaN : base.dataOverheadMs()))
            .append(" |\n");
      }
      for (Result r : results) {
        if (r.workflow().equals(w) && !r.firstError().isEmpty()) {
          b.append("\nFirst error of ")
              .append(r.config().label(varying))
              .append(": `")
              .append(r.firstError().replace("`", "'").replace("\n", " "))
              .append("`\n");
        }
      }
      b.append('\n');
      for (String c : charts) {
        if (c.endsWith("-wf-" + Charts.slug(w) + ".png")) {
          b.append("![").append(c).append("](").append(c).append(")\n");
        }
      }
      b.append('\n');
    }
    List<String> general = charts.stream().filter(c -> !c.contains("-wf-")).toList();
    if (!general.isEmpty()) {
      b.append("## Charts\n\n");
      general.forEach(c -> b.append("![").append(c).append("](").append(c).append(")\n"));
    }
    Files.writeString(file, b.toString());
  }

  /** {@code 0.52}, or {@code —} when there is no baseline figure. */
  static String ratio(double value, double base) {
    double r = Stats.ratio(value, base);
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f", r);
  }

  /** The readable table printed without {@code --json}. */
  static void printTable(PrintWriter out, List<Result> results, Sweep sweep) {
    List<String> varying = sweep.varying();
    int width =
        Math.max(
            14, results.stream().mapToInt(r -> r.config().label(varying).length()).max().orElse(0));
    int wf = Math.max(8, results.stream().mapToInt(r -> r.workflow().length()).max().orElse(0));
    String fmt = "%-" + wf + "s  %-" + width + "s %6s %6s %10s %10s %10s %10s %10s %9s %8s%n";
    out.printf(
        Locale.ROOT,
        fmt,
        "workflow",
        "configuration",
        "inst",
        "failed",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "sched ms",
        "data ms",
        "inst/s",
        "mst msgs");
    for (Result r : results) {
      Map<String, Object> row = Rows.result(r);
      out.printf(
          Locale.ROOT,
          fmt,
          r.workflow(),
          r.config().label(varying),
          row.get("instances"),
          row.get("failed"),
          Format.ms(r.p50Ms()),
          Format.ms(r.p95Ms()),
          Format.ms(r.p99Ms()),
          Format.ms(r.schedulingOverheadMs()),
          Format.ms(r.dataOverheadMs()),
          Format.ms(r.instancesPerSec()),
          Format.num(r.masterMessages()));
    }
    out.flush();
  }
}

package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.bench.link.LinkBenchmark;
import io.sluice.bench.link.LinkBenchmark.Row;
import io.sluice.cluster.config.LinkConfig;
import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bench link [--latency 1ms] [--bandwidth 50MB/s] [--json]}: how faithfully the
 * emulated links ({@code links:} in a cluster config) cost what they are configured to.
 */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Emulated links (a cluster config's links:) measured through their relay on loopback:",
      "small TCP ping-pongs (median, p99) vs 2 x latency; a gRPC unary round trip vs the direct",
      "one + 2 x latency; a one-way transfer's MB/s vs the bandwidth; the plain relay's own cost",
      "(its round trip less the direct one, in us). Exit 2 on bad arguments."
    })
final class LinkBenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--latency",
      defaultValue = "1ms",
      paramLabel = "DURATION",
      description =
          "one-way latency of each direction, e.g. 1ms, 250us, 0s (default ${DEFAULT-VALUE})")
  String latency;

  @Option(
      names = "--bandwidth",
      defaultValue = "unlimited",
      paramLabel = "RATE",
      description = "bytes per second of each direction, e.g. 50MB/s (default ${DEFAULT-VALUE})")
  String bandwidth;

  @Option(
      names = "--pings",
      defaultValue = "1000",
      paramLabel = "N",
      description = "round trips measured per series (default ${DEFAULT-VALUE})")
  int pings;

  @Option(
      names = "--transfer",
      defaultValue = "64MB",
      paramLabel = "SIZE",
      description = "size of the one-way transfer (default ${DEFAULT-VALUE})")
  String transfer;

  @Option(names = "--json", description = "print a JSON list of rows")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    LinkConfig link;
    long bytes;
    try {
      Duration d = Durations.parse(latency);
      if (d.isNegative()) {
        throw new IllegalArgumentException("--latency must not be negative, got " + latency);
      }
      link = new LinkConfig(d, LinkConfig.parseBandwidth(bandwidth));
      bytes = ByteSizes.parse(transfer);
      if (bytes < 1 || bytes > 1L << 32) {
        throw new IllegalArgumentException(
            "--transfer must be between 1B and 4GiB, got " + transfer);
      }
      if (pings < 1 || pings > 1_000_000) {
        throw new IllegalArgumentException("--pings must be between 1 and 1000000, got " + pings);
      }
    } catch (IllegalArgumentException e) {
      err.println("sluice bench link: " + e.getMessage());
      return BenchCommand.EXIT_INVALID;
    }
    List<Row> rows = new LinkBenchmark(link, pings, bytes).run();
    print(link, rows, spec.commandLine().getOut());
    return 0;
  }

  private void print(LinkConfig link, List<Row> rows, PrintWriter out) throws Exception {
    if (json) {
      ArrayNode list = JSON.createArrayNode();
      for (Row r : rows) {
        ObjectNode o =
            list.addObject()
                .put("measure", r.measure())
                .put("unit", r.unit())
                .put("latency", Durations.format(link.latency()))
                .put("bandwidth", LinkConfig.formatBandwidth(link.bandwidth()));
        putNumber(o, "configured", r.configured());
        putNumber(o, "median", r.median());
        putNumber(o, "p99", r.p99());
        putNumber(o, "deviationPct", r.deviationPct());
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list));
      return;
    }
    out.printf("link: %s (%d round trips per series)%n", link, pings);
    out.printf(
        "%-30s %5s %11s %11s %11s %10s%n",
        "measure", "unit", "configured", "median", "p99", "deviation");
    for (Row r : rows) {
      out.printf(
          "%-30s %5s %11s %11s %11s %10s%n",
          r.measure(),
          r.unit(),
          number(r.configured()),
          number(r.median()),
          number(r.p99()),
          r.deviationPct() == null ? "-" : String.format("%+.1f%%", r.deviationPct()));
    }
  }

  private static void putNumber(ObjectNode o, String key, Double v) {
    if (v == null) {
      o.putNull(key);
    } else {
      o.put(key, Math.round(v * 1000) / 1000.0);
    }
  }

  private static String number(Double v) {
    return v == null ? "-" : String.format("%.3f", v);
  }
}

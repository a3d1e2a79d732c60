package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sluice.bench.store.StoreHandoffBenchmark;
import io.sluice.bench.store.StoreHandoffBenchmark.Row;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.model.format.ByteSizes;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bench ...}: measurements of Sluice's own machinery. The launcher {@code bin/sluice}
 * runs this class from the bench module's jar ({@code bench/target/benchmarks.jar}), so no
 * benchmark code is in the production jar; the JMH benchmarks of the same jar run with {@code java
 * -jar bench/target/benchmarks.jar}.
 */
@Command(
    name = "sluice bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of Sluice's machinery.",
    subcommands = {
      BenchCommand.Store.class,
      BenchCommand.Runtime.class,
      io.sluice.bench.workflow.WorkflowBenchCommand.class,
      LinkBenchCommand.class
    })
public final class BenchCommand implements Runnable {
  /** Exit code for bad arguments, as every sluice command has it. */
  static final int EXIT_INVALID = 2;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs {@code sluice bench ARGS} with the given streams; returns the exit code. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new BenchCommand()).setOut(out).setErr(err);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("sluice bench: " + e.getMessage());
          return EXIT_INVALID;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code sluice bench store --sizes 1KB,1MB,64MB [--redis URI] [--json]}. */
  @Command(
      name = "store",
      mixinStandardHelpOptions = true,
      description = {
        "FaaStore hand-off throughput (producer put to consumer get) per value size, in MB/s:",
        "memory (this worker's memory), peer (gRPC push between two workers on loopback) and",
        "redis (through Redis, only with --redis). Exit 2 on a bad size or URI."
      })
  static final class Store implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(
        names = "--sizes",
        split = ",",
        paramLabel = "SIZE",
        defaultValue = "1KB,1MB,64MB",
        description = "value sizes, e.g. 1KB,1MB,64MB (default: ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--redis", paramLabel = "URI", description = "redis://HOST:PORT to measure")
    String redis;

    @Option(names = "--json", description = "print a JSON list of {mode, size, mbPerSec}")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      Optional<String> problem = checkSizes();
      if (problem.isPresent()) {
        err.println("sluice bench store: " + problem.get());
        return EXIT_INVALID;
      }
      Optional<URI> uri = Optional.empty();
      if (redis == null) {
        err.println("sluice bench store: no --redis given, so the redis rows are omitted");
      } else {
        try {
          uri = Optional.of(URI.create(redis));
          StoreConfig.builder().redisUri(uri.get()).build();
        } catch (IllegalArgumentException e) {
          err.println("sluice bench store: --redis " + redis + ": " + e.getMessage());
          return EXIT_INVALID;
        }
      }
      List<Row> rows = new StoreHandoffBenchmark().runLabelled(sizes, uri);
      print(rows, spec.commandLine().getOut());
      return 0;
    }

    private Optional<String> checkSizes() {
      if (sizes == null || sizes.isEmpty()) {
        return Optional.of("--sizes is empty; give e.g. 1KB,1MB,64MB");
      }
      for (String size : sizes) {
        long bytes;
        try {
          bytes = ByteSizes.parse(size);
        } catch (IllegalArgumentException e) {
          return Optional.of("--sizes: " + e.getMessage());
        }
        if (bytes <= 0 || bytes > 1L << 30) {
          return Optional.of("--sizes: " + size + " must be between 1B and 1GB");
        }
      }
      return Optional.empty();
    }

    private void print(List<Row> rows, PrintWriter out) throws Exception {
      if (json) {
        ArrayNode list = JSON.createArrayNode();
        for (Row r : rows) {
          list.addObject()
              .put("mode", r.mode())
              .put("size", r.size())
              .put("mbPerSec", Math.round(r.mbPerSec() * 10) / 10.0);
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list));
        return;
      }
      out.printf("%-7s %10s %14s%n", "mode", "size", "MB/s");
      for (Row r : rows) {
        out.printf("%-7s %10s %14.1f%n", r.mode(), r.size(), r.mbPerSec());
      }
    }
  }

  /** {@code sluice bench runtime --runtime docker,process,java [--calls N] [--concurrency C]}. */
  @Command(
      name = "runtime",
      mixinStandardHelpOptions = true,
      description = {
        "Function runtimes compared on a trivial echo function: the first call on a fresh runtime",
        "(coldStartMs), then N calls with C in flight after C warm-up calls: median and 99th",
        "percentile latency (warmCallMs, warmCallP99Ms) and throughput (callsPerSec).",
        "docker needs an engine (DOCKER_HOST) and sluice/fn-python:local (bin/sluice image build);",
        "http needs Google's functions framework under SLUICE_NODE_TOOLS (scripts/npm-tools.sh);",
        "without it the http row is left out, saying so.",
        "Exit 2 on bad arguments, 1 when a runtime cannot be measured (e.g. no Docker engine)."
      })
  static final class Runtime implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(
        names = "--runtime",
        split = ",",
        paramLabel = "KIND",
        defaultValue = "docker,process,java,http",
        description = "runtimes to measure, in this order (default: ${DEFAULT-VALUE})")
    List<String> runtimes;

    @Option(
        names = "--calls",
        defaultValue = "200",
        paramLabel = "N",
        description = "warm calls per runtime (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(
        names = "--concurrency",
        defaultValue = "1",
        paramLabel = "C",
        description = "calls in flight (and docker containers) (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--json", description = "print a JSON list of rows")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      for (String r : runtimes) {
        if (!io.sluice.bench.runtime.RuntimeBenchmark.RUNTIMES.contains(r)) {
          err.println(
              "sluice bench runtime: --runtime "
                  + r
                  + " is not one of "
                  + io.sluice.bench.runtime.RuntimeBenchmark.RUNTIMES);
          return EXIT_INVALID;
        }
      }
      if (calls < 1 || concurrency < 1 || concurrency > 64) {
        err.println(
            "sluice bench runtime: --calls must be >= 1 and --concurrency between 1 and 64");
        return EXIT_INVALID;
      }
      if (runtimes.contains("docker")) {
        String why = io.sluice.runtime.docker.DockerProbe.problem();
        if (why != null) {
          err.println("sluice bench runtime: docker: " + why);
          return 1;
        }
      }
      if (runtimes.contains("http")) {
        String why = io.sluice.runtime.http.FunctionsFramework.problem();
        if (why != null) {
          err.println("sluice bench runtime: http row left out: " + why);
          runtimes = runtimes.stream().filter(r -> !r.equals("http")).toList();
        }
      }
      var bench = new io.sluice.bench.runtime.RuntimeBenchmark();
      List<io.sluice.bench.runtime.RuntimeBenchmark.Row> rows = new java.util.ArrayList<>();
      for (String r : runtimes) {
        try {
          rows.add(bench.run(r, calls, concurrency));
        } catch (Exception e) {
          err.println("sluice bench runtime: " + r + ": " + e.getMessage());
          return 1;
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode list = JSON.createArrayNode();
        for (var r : rows) {
          list.addObject()
              .put("runtime", r.runtime())
              .put("coldStartMs", r.coldStartMs())
              .put("warmCallMs", r.warmCallMs())
              .put("warmCallP99Ms", r.warmCallP99Ms())
              .put("callsPerSec", r.callsPerSec());
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list));
        return 0;
      }
      out.printf(
          "%-8s %12s %12s %14s %12s   (%d calls, concurrency %d)%n",
          "runtime", "cold ms", "warm p50 ms", "warm p99 ms", "calls/s", calls, concurrency);
      for (var r : rows) {
        out.printf(
            "%-8s %12.2f %12.2f %14.2f %12.1f%n",
            r.runtime(), r.coldStartMs(), r.warmCallMs(), r.warmCallP99Ms(), r.callsPerSec());
      }
      return 0;
    }
  }
}

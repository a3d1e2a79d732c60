package io.sluice.bench.workflow;

import io.sluice.client.RunInputs;
import io.sluice.client.Submissions;
import io.sluice.cluster.config.StoreMode;
import io.sluice.master.partition.Partitioner;
import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bench workflow FILE...}: the experiment harness. Runs workflows on clusters it
 * starts itself, over every combination of the configuration options, offers a closed- or open-loop
 * load through the master's gRPC API, and writes results.csv, samples.csv, summary.md and charts
 * (docs/experiments.md).
 */
@Command(
    name = "workflow",
    mixinStandardHelpOptions = true,
    description = {
      "Measures workflows on clusters it starts (master and workers as processes, or in this JVM)",
      "for every combination of the configuration options (each takes one value or a comma list).",
      "Writes results.csv, samples.csv, summary.md and PNG charts to --out; prints a table, or",
      "with --json one JSON row per configuration. Exit 0 when every configuration ran (failed",
      "instances are counted, not fatal), 1 when a cluster could not run, 2 for bad arguments."
    })
public final class WorkflowBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "workflow definitions")
  List<Path> files;

  @Mixin RunInputs run;

  @Option(
      names = "--mode",
      split = ",",
      defaultValue = "worker",
      paramLabel = "worker,master",
      description = "WorkerSP and/or MasterSP (default ${DEFAULT-VALUE})")
  List<String> modes;

  @Option(
      names = "--store",
      split = ",",
      defaultValue = "memory",
      paramLabel = "MODE",
      description = "memory, tiered, redis (default ${DEFAULT-VALUE}); tiered and redis need Redis")
  List<String> stores;

  @Option(
      names = "--partitioner",
      split = ",",
      defaultValue = "critical-path",
      paramLabel = "P",
      description = "critical-path, hash (default ${DEFAULT-VALUE})")
  List<String> partitioners;

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "3",
      paramLabel = "N",
      description = "worker counts (default ${DEFAULT-VALUE})")
  List<Integer> workers;

  @Option(
      names = "--clients",
      split = ",",
      paramLabel = "N",
      description =
          "closed loop: N concurrent clients, each invoking when its last ended (default 1)")
  List<Integer> clients;

  @Option(
      names = "--rate",
      split = ",",
      paramLabel = "R",
      description = "open loop: Poisson arrivals at R instances/s (instead of --clients)")
  List<Double> rates;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "measure for this long (e.g. 30s) instead of a number of instances")
  String duration;

  @Option(
      names = "--instances",
      defaultValue = "20",
      paramLabel = "N",
      description = "measured instances per workflow and configuration (default ${DEFAULT-VALUE})")
  int instances;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "unmeasured instances run one by one before each configuration (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--warmup-time",
      paramLabel = "DURATION",
      description =
          "and keep warming up until this much time has passed (e.g. 20s): a cluster of processes"
              + " needs hundreds of instances before every JVM has compiled its hot paths")
  String warmupTime;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "S",
      description = "seed of the Poisson arrivals (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--link-latency",
      split = ",",
      paramLabel = "DURATION",
      description = "emulated link latency between processes, e.g. 1ms (config section links:)")
  List<String> linkLatencies;

  @Option(
      names = "--link-bandwidth",
      split = ",",
      paramLabel = "SIZE/s",
      description = "emulated link bandwidth, e.g. 50MB/s (config section links:)")
  List<String> linkBandwidths;

  @Option(
      names = "--progress",
      split = ",",
      defaultValue = "on",
      paramLabel = "on,off",
      description =
          "workers report node steps to the master (config progress:) or not (default"
              + " ${DEFAULT-VALUE})")
  List<String> progressValues;

  @Option(
      names = "--tls",
      split = ",",
      defaultValue = "off",
      paramLabel = "on,off",
      description =
          "mutual TLS between every member (security.tls, certificates from a fresh CA;"
              + " --cluster jvm only) or plaintext (default ${DEFAULT-VALUE})")
  List<String> tlsValues;

  @Option(
      names = "--cluster",
      defaultValue = "processes",
      paramLabel = "processes|jvm",
      description =
          "processes (default: as scripts/cluster.sh starts them) or jvm (in this JVM; fast, for tests)")
  String clusterKind;

  @Option(
      names = "--redis",
      paramLabel = "HOST:PORT",
      description = "Redis for --store tiered|redis (default 127.0.0.1:$SLUICE_REDIS_PORT)")
  String redis;

  @Option(
      names = "--baseline",
      paramLabel = "DIM=VALUE,...",
      description =
          "what summary.md compares with (default mode=master,store=redis where in the sweep)")
  String baseline;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description = "an instance not ended by then counts as failed (default ${DEFAULT-VALUE})")
  String timeout;

  @Option(
      names = "--health-timeout",
      defaultValue = "120s",
      paramLabel = "DURATION",
      description = "wait for each process's /health this long (default ${DEFAULT-VALUE})")
  String healthTimeout;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default results/bench-TIMESTAMP)")
  Path out;

  @Option(names = "--json", description = "print one JSON row per configuration (JSON Lines)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    PrintWriter err = cl.getErr();
    Experiment.Plan plan = plan(cl);
    Baseline base =
        baseline == null
            ? Baseline.defaultFor(plan.sweep())
            : parse(cl, () -> Baseline.parse(baseline, plan.sweep()));
    Files.createDirectories(plan.out());
    double loadBefore = Experiment.loadAverage();
    String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    List<Result> results = new ArrayList<>();
    int exit = 0;
    try (Progress progress = Experiment.progress(err)) {
      try {
        new Experiment(plan, cl, progress)
            .run(
                results,
                r -> {
                  if (json) {
                    cl.getOut().println(Rows.json(r));
                    cl.getOut().flush();
                  }
                });
      } catch (ParameterException e) {
        throw e;
      } catch (Exception e) {
        err.println("sluice bench workflow: " + e.getMessage());
        exit = 1;
      }
    }
    if (!results.isEmpty()) {
      List<String> header = new ArrayList<>();
      header.add("Command: `sluice bench workflow " + String.join(" ", args(cl)) + "`");
      header.add(
          "Started "
              + started
              + "; cluster: "
              + clusterKind
              + "; "
              + Runtime.getRuntime().availableProcessors()
              + " cores; load average (1 min) "
              + Format.num(loadBefore)
              + " before, "
              + Format.num(Experiment.loadAverage())
              + " after");
      header.add(
          "Each configuration: "
              + plan.warmup()
              + " warm-up instances, then "
              + (plan.durationNanos() > 0
                  ? duration + " measured"
                  : plan.instances() + " measured instances")
              + "; synthetic "
              + run.synthetic
              + ", time scale "
              + Format.num(run.timeScale)
              + ", data scale "
              + Format.num(run.dataScale));
      ResultFiles.writeResults(plan.out().resolve("results.csv"), results);
      ResultFiles.writeSamples(plan.out().resolve("samples.csv"), results);
      List<String> charts = Charts.draw(plan.out(), results, plan.sweep());
      ResultFiles.writeSummary(
          plan.out().resolve("summary.md"), results, plan.sweep(), base, header, charts);
      if (!json) {
        ResultFiles.printTable(cl.getOut(), results, plan.sweep());
      }
    }
    err.println(
        results.isEmpty()
            ? "sluice bench workflow: no configuration finished; logs in " + plan.out()
            : "sluice bench workflow: results in " + plan.out());
    err.flush();
    return exit;
  }

  private Experiment.Plan plan(CommandLine cl) {
    run.check(cl);
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new ParameterException(cl, "FILE: no such file: " + f);
      }
    }
    modes.forEach(m -> Submissions.mode(cl, m));
    stores.forEach(s -> parse(cl, () -> StoreMode.parse(s)));
    partitioners.forEach(p -> parse(cl, () -> Partitioner.named(p)));
    for (int w : workers) {
      if (w < 1) {
        throw new ParameterException(cl, "--workers must be >= 1, got " + w);
      }
    }
    if (clients != null && rates != null) {
      throw new ParameterException(
          cl, "give --clients (closed loop) or --rate (open loop), not both");
    }
    List<Load> loads = new ArrayList<>();
    if (rates != null) {
      rates.forEach(r -> loads.add(parse(cl, () -> Load.rate(r))));
    } else {
      (clients == null ? List.of(1) : clients)
          .forEach(c -> loads.add(parse(cl, () -> Load.clients(c))));
    }
    if (instances < 1 || warmup < 0) {
      throw new ParameterException(cl, "--instances must be >= 1 and --warmup >= 0");
    }
    long durationNanos = duration == null ? 0 : positive(cl, "--duration", duration).toNanos();
    List<String> lat = linkLatencies == null ? Arrays.asList((String) null) : linkLatencies;
    lat.stream().filter(l -> l != null).forEach(l -> positive(cl, "--link-latency", l));
    List<String> bw = linkBandwidths == null ? Arrays.asList((String) null) : linkBandwidths;
    bw.stream().filter(b -> b != null).forEach(b -> bandwidth(cl, b));
    if (!clusterKind.equals("processes") && !clusterKind.equals("jvm")) {
      throw new ParameterException(cl, "--cluster must be processes or jvm, got " + clusterKind);
    }
    boolean jvm = clusterKind.equals("jvm");
    if (jvm && (linkLatencies != null || linkBandwidths != null)) {
      throw new ParameterException(
          cl,
          "--link-latency/--link-bandwidth need --cluster processes:"
              + " the worker processes emulate links from their cluster config");
    }
    List<Boolean> reporting =
        progressValues.stream()
            .map(p -> parse(cl, () -> Configuration.onOff(p), "--progress"))
            .toList();
    List<Boolean> secure =
        tlsValues.stream().map(t -> parse(cl, () -> Configuration.onOff(t), "--tls")).toList();
    if (!jvm && secure.contains(true)) {
      throw new ParameterException(
          cl, "--tls on needs --cluster jvm (process clusters get security.tls from their config)");
    }
    Sweep sweep =
        new Sweep(modes, stores, partitioners, workers, lat, bw, reporting, loads, secure);
    String redisAddress = null;
    if (sweep.clusters().stream().anyMatch(ClusterSpec::needsRedis)) {
      redisAddress = RedisCheck.require(cl, redis);
    }
    Path home = null;
    if (!jvm) {
      home = home(cl);
    }
    Path outDir =
        out != null
            ? out
            : Path.of(
                "results",
                "bench-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    return new Experiment.Plan(
        files,
        sweep,
        run,
        Submissions.inputJson(cl, run),
        instances,
        durationNanos,
        warmup,
        warmupTime == null ? 0 : positive(cl, "--warmup-time", warmupTime).toNanos(),
        seed,
        positive(cl, "--timeout", timeout),
        positive(cl, "--health-timeout", healthTimeout),
        jvm,
        home,
        redisAddress,
        outDir.toAbsolutePath().normalize());
  }

  /**
   * The repository root, to run bin/sluice: -Dsluice.home (bin/sluice passes it) or SLUICE_HOME.
   */
  private static Path home(CommandLine cl) {
    String h = System.getProperty("sluice.home", System.getenv("SLUICE_HOME"));
    if (h == null || h.isBlank()) {
      throw new ParameterException(
          cl,
          "--cluster processes runs bin/sluice and needs the repository root:"
              + " run through bin/sluice bench (it passes -Dsluice.home) or set SLUICE_HOME");
    }
    Path p = Path.of(h).toAbsolutePath().normalize();
    if (!Files.isExecutable(p.resolve("bin/sluice"))) {
      throw new ParameterException(
          cl, "no executable bin/sluice under " + p + " (sluice.home / SLUICE_HOME)");
    }
    return p;
  }

  /** The arguments after {@code workflow}, as given. */
  private static List<String> args(CommandLine cl) {
    List<String> all = cl.getParseResult().originalArgs();
    int i = all.indexOf("workflow");
    return i >= 0 ? all.subList(i + 1, all.size()) : all;
  }

  private static Duration positive(CommandLine cl, String flag, String text) {
    Duration d = parse(cl, () -> Durations.parse(text), flag);
    if (d.isNegative() || d.isZero()) {
      throw new ParameterException(cl, flag + " must be positive, got " + text);
    }
    return d;
  }

  private static void bandwidth(CommandLine cl, String text) {
    if (!text.endsWith("/s")) {
      throw new ParameterException(
          cl, "--link-bandwidth must be SIZE/s (e.g. 50MB/s), got " + text);
    }
    long bytes =
        parse(cl, () -> ByteSizes.parse(text.substring(0, text.length() - 2)), "--link-bandwidth");
    if (bytes <= 0) {
      throw new ParameterException(cl, "--link-bandwidth must be positive, got " + text);
    }
  }

  private static <T> T parse(CommandLine cl, java.util.function.Supplier<T> f) {
    return parse(cl, f, null);
  }

  private static <T> T parse(CommandLine cl, java.util.function.Supplier<T> f, String flag) {
    try {
      return f.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, (flag == null ? "" : flag + ": ") + e.getMessage());
    }
  }
}

package io.sluice.bench.workflow;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.sluice.client.RunInputs;
import io.sluice.client.Submissions;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Runs a sweep: for each cluster of the sweep, starts it, registers every workflow, and runs each
 * of its configurations back to back — warm-up instances, then the measured ones — then stops it.
 * Results come out in run order; {@code onResult} sees each as soon as it is measured.
 */
final class Experiment {
  /** How the sweep runs (the command's options, checked). */
  record Plan(
      List<Path> files,
      Sweep sweep,
      RunInputs run,
      String inputJson,
      int instances,
      long durationNanos,
      int warmup,
      long warmupNanos,
      long seed,
      Duration timeout,
      Duration healthTimeout,
      boolean jvmCluster,
      Path home,
      String redis,
      Path out) {}

  private final Plan plan;
  private final CommandLine cl;
  private final Progress progress;
  private final Map<Path, String> names = new LinkedHashMap<>();

  Experiment(Plan plan, CommandLine cl, Progress progress) {
    this.plan = plan;
    this.cl = cl;
    this.progress = progress;
  }

  /** Runs every configuration; results so far go to {@code results} even when it fails midway. */
  void run(List<Result> results, Consumer<Result> onResult) throws Exception {
    List<Configuration> all = plan.sweep().configurations();
    int total = all.size() * plan.files().size();
    int k = 0;
    if (!plan.jvmCluster()) {
      Path log = plan.out().resolve("build.log");
      progress.note("building bin/sluice's jar if needed (log: " + log + ")");
      ProcessCluster.prebuild(plan.home(), log);
    }
    for (var entry : plan.sweep().byCluster().entrySet()) {
      ClusterSpec spec = entry.getKey();
      try (BenchCluster cluster = start(spec)) {
        ManagedChannel channel =
            Grpc.newChannelBuilder(cluster.address(), cluster.credentials())
                .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
                .build();
        try {
          LoadRunner runner = new LoadRunner(WorkflowServiceGrpc.newStub(channel), plan.timeout());
          for (Path file : plan.files()) {
            WorkflowRef ref = register(channel, file);
            String workflow = names.get(file);
            for (Configuration c : entry.getValue()) {
              k++;
              String what = k + "/" + total + " " + workflow + " " + describe(c);
              Result r = measure(runner, ref, workflow, c, what);
              results.add(r);
              onResult.accept(r);
            }
          }
        } finally {
          channel.shutdownNow();
          channel.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  private BenchCluster start(ClusterSpec spec) throws Exception {
    if (plan.jvmCluster()) {
      progress.note("starting an in-JVM cluster " + spec.name());
      return new JvmCluster(spec, spec.needsRedis() ? plan.redis() : null);
    }
    Path dir = plan.out().resolve("clusters").resolve(spec.name());
    Files.createDirectories(dir);
    Path config = dir.resolve("cluster.yaml");
    // A port picked free can be taken by another process before ours binds it: try again anew.
    for (int attempt = 1; ; attempt++) {
      ClusterYaml ports = ClusterYaml.freePorts(spec.workers());
      Files.writeString(
          config,
          ports.render("bench-" + spec.name(), spec, spec.needsRedis() ? plan.redis() : null));
      progress.note(
          "starting cluster "
              + spec.name()
              + " (master and "
              + spec.workers()
              + " worker processes; config and logs in "
              + dir
              + ")");
      try {
        return ProcessCluster.start(plan.home(), dir, config, ports, plan.healthTimeout());
      } catch (IOException e) {
        boolean portTaken = String.valueOf(e.getMessage()).toLowerCase().contains("in use");
        if (!portTaken || attempt >= 3) {
          throw e;
        }
        progress.note("a port was taken meanwhile; trying again with new ports");
      }
    }
  }

  /** Registers the workflow (idempotent on the master) and names it once for the whole run. */
  private WorkflowRef register(ManagedChannel channel, Path file) {
    try {
      WorkflowRef ref =
          WorkflowServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(plan.healthTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .registerWorkflow(Submissions.register(cl, file, plan.run()))
              .getWorkflow();
      if (!names.containsKey(file)) {
        String name = ref.getName();
        for (int i = 2; names.containsValue(name); i++) {
          name = ref.getName() + "-" + i;
        }
        names.put(file, name);
      }
      return ref;
    } catch (StatusRuntimeException e) {
      throw new CommandLine.ParameterException(
          cl,
          "the master did not register "
              + file
              + ": "
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : ":\n" + e.getStatus().getDescription()));
    }
  }

  private Result measure(
      LoadRunner runner, WorkflowRef ref, String workflow, Configuration c, String what)
      throws InterruptedException {
    InvokeRequest req =
        Submissions.invoke(ref, plan.inputJson(), plan.run(), Submissions.mode(cl, c.mode()));
    if (plan.warmup() > 0 || plan.warmupNanos() > 0) {
      progress.note(
          what
              + ": "
              + plan.warmup()
              + (plan.warmup() == 1 ? " warm-up instance" : " warm-up instances")
              + (plan.warmupNanos() > 0
                  ? ", then warm-up for " + plan.warmupNanos() / 1_000_000_000.0 + " s"
                  : ""));
      runner.warmup(req, plan.warmup());
      if (plan.warmupNanos() > 0) {
        runner.closed(req, 1, Integer.MAX_VALUE, plan.warmupNanos(), s -> {});
      }
    }
    LoadRunner.Run run;
    if (c.load().closed()) {
      progress.start(what, plan.durationNanos() > 0 ? -1 : plan.instances());
      run =
          runner.closed(
              req, c.load().clients(), plan.instances(), plan.durationNanos(), progress::record);
    } else {
      PoissonArrivals arrivals = new PoissonArrivals(c.load().rate(), plan.seed());
      long[] at =
          plan.durationNanos() > 0
              ? arrivals.within(plan.durationNanos(), 1_000_000)
              : arrivals.first(plan.instances());
      progress.start(what, at.length);
      run = runner.open(req, at, progress::record);
    }
    progress.finish();
    return Result.of(workflow, c, run.samples(), run.windowNanos(), loadAverage());
  }

  private String describe(Configuration c) {
    List<String> parts = new ArrayList<>();
    parts.add(c.mode());
    parts.add(c.cluster().store());
    parts.add(c.cluster().partitioner());
    parts.add(c.cluster().workers() + "w");
    if (c.cluster().linkLatency() != null) {
      parts.add("lat " + c.cluster().linkLatency());
    }
    if (c.cluster().linkBandwidth() != null) {
      parts.add("bw " + c.cluster().linkBandwidth());
    }
    if (c.cluster().tls()) {
      parts.add("tls");
    }
    if (!c.cluster().progress()) {
      parts.add("progress off");
    }
    parts.add(c.load().label());
    return String.join(" ", parts);
  }

  /** The 1-minute load average (/proc/loadavg), NaN where there is none. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** For the progress line: where the messages go. */
  static Progress progress(PrintWriter err) {
    return new Progress(err, Boolean.getBoolean("sluice.stderr.tty"));
  }
}

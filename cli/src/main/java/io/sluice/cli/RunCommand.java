package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.client.Inputs;
import io.sluice.client.LocalCluster;
import io.sluice.client.RunInputs;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.engine.LocalRun;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.format.ByteSizes;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice run FILE}: runs a workflow to its end inside this JVM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a workflow (Sluice, FaaSFlow or WfCommons format) embedded in this JVM.",
      "Exit 0 when it completed, 1 when it failed, 2 when the definition is invalid."
    })
final class RunCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the workflow definition")
  Path file;

  @picocli.CommandLine.Mixin RunInputs run;

  @Option(names = "--json", description = "print one JSON object describing the run")
  boolean json;

  @Option(
      names = "--no-prewarm",
      description =
          "do not hint runtimes to start the successors' functions (containers) while a node runs"
              + " (embedded runs; default: hint)")
  boolean noPrewarm;

  @Option(
      names = "--workers",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "run on a master and N workers inside this JVM over gRPC on loopback (default 0:"
              + " one embedded engine)")
  int workers;

  @Option(
      names = "--mode",
      defaultValue = "worker",
      paramLabel = "worker|master",
      description = "with --workers: who schedules the hops (default ${DEFAULT-VALUE})")
  String mode;

  @Option(
      names = "--store",
      paramLabel = "memory|redis|tiered",
      description = {
        "with --workers: how intermediate data moves between workers (default "
            + StoreConfig.DEFAULT_MODE
            + "):",
        "memory = in worker memory, inline in edge events between workers;",
        "tiered = FaaStore: larger values pushed to the consumer's worker over gRPC (or Redis);",
        "redis = every larger value through Redis (the FaaSFlow baseline; needs --redis)"
      })
  String store;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      description =
          "with --store redis (or tiered): the Redis server, e.g. redis://127.0.0.1:16379")
  java.net.URI redis;

  @Option(
      names = "--inline-threshold",
      paramLabel = "SIZE",
      description =
          "with --store tiered|redis: values up to this size travel inline (default "
              + StoreConfig.DEFAULT_INLINE_THRESHOLD
              + " bytes, the store's inlineThreshold default; KB=1000, KiB=1024)")
  String inlineThreshold;

  @Option(
      names = "--classpath",
      paramLabel = "PATHS",
      description =
          "jars or class folders (separated by the path separator, ':' on Linux) where java"
              + " functions' classes (class: com.example.Fn) are found")
  String classpath;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try {
      io.sluice.runtime.java.UserClassPath.add(classpath, null);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cl, "--classpath: " + e.getMessage());
    }
    run.check(cl);
    if (workers < 0) {
      throw new picocli.CommandLine.ParameterException(cl, "--workers must be >= 0");
    }
    scheduleNote(cl);
    if (workers > 0) {
      return onCluster(cl);
    }
    InstanceStatus s;
    ContainerCounts before = ContainerCounts.now();
    try {
      s =
          LocalRun.run(
              file,
              new LocalRun.Options(
                  Inputs.parse(cl, run.input),
                  run.functions,
                  run.synthetic,
                  run.timeScale,
                  run.dataScale,
                  run.syntheticRuntime,
                  !noPrewarm));
    } catch (DefinitionException e) {
      for (Problem p : e.problems()) {
        cl.getErr().println(p);
      }
      return Main.EXIT_INVALID;
    }
    if (json) {
      ObjectNode o = report(s);
      before.report(o);
      cl.getOut().println(Inputs.JSON.writeValueAsString(o));
    } else if (s.state() == InstanceState.COMPLETED) {
      cl.getOut()
          .println(Inputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s.output()));
    } else {
      cl.getErr().println("sluice: instance " + s.instanceId() + " " + describe(s));
    }
    return s.state() == InstanceState.COMPLETED ? 0 : Main.EXIT_FAILED;
  }

  /**
   * One line on stderr when the workflow has a {@code schedule}: run starts it once, now; a
   * cluster's master starts it by its schedule once it is registered (docs/cli.md).
   */
  private void scheduleNote(picocli.CommandLine cl) {
    io.sluice.model.WorkflowSchedule s;
    try {
      if (!java.nio.file.Files.readString(file).contains("schedule")) {
        return; // no second parse of a large trace that cannot have one
      }
      s = new io.sluice.model.format.WorkflowLoader().load(file).schedule();
    } catch (RuntimeException | java.io.IOException e) {
      return; // the run reports what is wrong with the definition
    }
    if (s != null) {
      cl.getErr()
          .println(
              "sluice: schedule ("
                  + s.describe()
                  + ") not followed by run, which starts one instance now; a cluster's master"
                  + " follows it once the workflow is registered (sluice submit)");
    }
  }

  private int onCluster(picocli.CommandLine cl) throws Exception {
    var m = io.sluice.client.Submissions.mode(cl, mode);
    StoreConfig storeConfig = storeConfig(cl);
    try (LocalCluster cluster = new LocalCluster(workers, storeConfig)) {
      SubmitCommand submit = new SubmitCommand();
      submit.spec = spec;
      submit.master = new MasterAddress();
      submit.master.address = cluster.address();
      submit.file = file;
      submit.run = run;
      submit.mode = m == io.sluice.proto.Mode.MODE_MASTER ? "master" : "worker";
      submit.await = true;
      submit.json = json;
      return submit.call();
    }
  }

  /**
   * The store the flags describe; flags not given keep StoreConfig's defaults, so the CLI and a
   * cluster config without those keys agree.
   */
  StoreConfig storeConfig(picocli.CommandLine cl) {
    StoreConfig.Builder b = StoreConfig.builder();
    try {
      if (store != null) {
        b.mode(StoreMode.parse(store));
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cl, "--store: " + e.getMessage());
    }
    try {
      if (inlineThreshold != null) {
        b.inlineThreshold(ByteSizes.parse(inlineThreshold));
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cl, "--inline-threshold: " + e.getMessage());
    }
    if (redis != null) {
      b.redisUri(redis);
    }
    try {
      return b.build();
    } catch (StoreConfig.InvalidSetting e) {
      throw new picocli.CommandLine.ParameterException(cl, flag(e.key()) + ": " + e.getMessage());
    }
  }

  /** The flag that sets a store key. */
  private static String flag(String key) {
    return switch (key) {
      case StoreConfig.MODE -> "--store";
      case StoreConfig.REDIS -> "--redis";
      case StoreConfig.INLINE_THRESHOLD -> "--inline-threshold";
      default -> "--store";
    };
  }

  private static String describe(InstanceStatus s) {
    return s.error() == null ? s.state().name().toLowerCase(Locale.ROOT) : "failed: " + s.error();
  }

  /** The run as JSON: the fields `run --json` documents in docs/cli.md. */
  static ObjectNode report(InstanceStatus s) {
    ObjectNode o = Inputs.JSON.createObjectNode();
    o.put("status", s.state().name().toLowerCase(Locale.ROOT));
    o.put("instanceId", s.instanceId());
    o.put("workflow", s.workflow());
    o.put("nodes", s.nodes());
    o.put("nodesExecuted", s.nodesExecuted());
    o.put("nodesSkipped", s.nodesSkipped());
    o.put("invocations", s.invocations());
    o.put("elapsedMs", s.elapsedNanos() / 1e6);
    o.put("criticalPathComputeMs", s.criticalPathComputeNanos() / 1e6);
    o.put("criticalPathDataMs", s.criticalPathDataNanos() / 1e6);
    o.put("events", s.events());
    o.set("output", s.output());
    if (s.error() != null) {
      ObjectNode err = o.putObject("error");
      err.put("node", s.error().nodeId());
      err.put("type", s.error().type());
      err.put("message", s.error().message());
    }
    return o;
  }
}

package io.sluice.cli;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.ClusterConfigException;
import io.sluice.cluster.config.WorkerConfig;
import io.sluice.worker.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice worker --config FILE --id ID}: runs one worker of a cluster until killed. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker of the cluster described by a cluster configuration file until it is killed.",
      "Exit 2 when the configuration is invalid or has no worker with that id, 1 when the master"
          + " cannot be reached within --register-timeout."
    })
final class WorkerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "the cluster configuration file, e.g. cluster-config/local-3.yaml (required)")
  Path config;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "this worker's id in the configuration (required)")
  String id;

  @Option(
      names = "--register-timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "give up when the master does not answer within this (default ${DEFAULT-VALUE})")
  long registerTimeoutSeconds;

  @Option(
      names = "--classpath",
      paramLabel = "PATHS",
      description =
          "jars or class folders (separated by the path separator, ':' on Linux) where java"
              + " functions' classes are found, besides the worker's classpath: in the config")
  String classpath;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    ClusterConfig cluster;
    try {
      cluster = ClusterConfig.load(config);
      cluster.worker(id);
    } catch (ClusterConfigException | IllegalArgumentException e) {
      err.println("sluice worker: " + e.getMessage());
      return Main.EXIT_INVALID;
    }
    try {
      WorkerConfig me = cluster.worker(id);
      Path dir = config.toAbsolutePath().getParent();
      io.sluice.runtime.java.UserClassPath.add(
          String.join(java.io.File.pathSeparator, me.classpath()), dir);
      io.sluice.runtime.java.UserClassPath.add(classpath, null);
    } catch (IllegalArgumentException e) {
      err.println("sluice worker: " + e.getMessage());
      return Main.EXIT_INVALID;
    }
    if (registerTimeoutSeconds < 1) {
      err.println("sluice worker: --register-timeout must be at least 1 second");
      return Main.EXIT_INVALID;
    }
    io.sluice.cli.log.LogLayout.processField("worker", id);
    WorkerProcess worker;
    try {
      worker =
          WorkerProcess.start(
              cluster,
              id,
              new WorkerProcess.Options(Duration.ofSeconds(registerTimeoutSeconds), List.of()));
    } catch (io.sluice.cluster.security.InsecureMode.NotLoopbackException e) {
      err.println("sluice worker: " + e.getMessage());
      return Main.EXIT_INVALID;
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      err.println("sluice worker: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "sluice-worker-shutdown"));
    spec.commandLine()
        .getOut()
        .printf("worker %s serving gRPC on %s%n", id, worker.node().address());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}

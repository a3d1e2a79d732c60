package io.sluice.cli;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.master.MasterProcess;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice master --config FILE}: runs the cluster's master until stopped. */
@Command(
    name = "master",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the master of a cluster until it is stopped (SIGTERM or SIGINT).",
      "gRPC on master.grpcPort, HTTP (/health, /metrics, /events) on master.httpPort. Exit 2 for"
          + " a bad configuration or a port in use."
    })
final class MasterCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "the cluster configuration file, e.g. cluster-config/local-3.yaml (required)")
  Path config;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    ClusterConfig c;
    try {
      c = ClusterConfig.load(config);
    } catch (RuntimeException e) {
      cl.getErr().println("sluice: " + e.getMessage());
      return Main.EXIT_INVALID;
    }
    io.sluice.cli.log.LogLayout.processField("master", c.master().grpcAddress());
    MasterProcess p;
    try {
      p = MasterProcess.start(c);
    } catch (IllegalArgumentException e) {
      // security: none on a non-loopback host, a malformed tokens file, a short cookie key
      cl.getErr().println("sluice: " + e.getMessage());
      return Main.EXIT_INVALID;
    } catch (java.io.UncheckedIOException e) {
      cl.getErr().println("sluice: " + e.getCause().getMessage());
      return Main.EXIT_INVALID;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "sluice-master-shutdown"));
    cl.getOut()
        .println(
            "master of cluster "
                + c.name()
                + " serving gRPC on "
                + p.address()
                + ", HTTP on port "
                + p.httpPort());
    cl.getOut().flush();
    p.awaitTermination();
    return 0;
  }
}

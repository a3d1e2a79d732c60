package example;

import io.sluice.sdk.HistoryStep;
import io.sluice.sdk.InstanceStatus;
import io.sluice.sdk.NodeProgress;
import io.sluice.sdk.Registration;
import io.sluice.sdk.SluiceClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registers a workflow on a running Sluice master, starts an instance, waits for its end, and
 * prints its status and its history.
 *
 * <pre>
 * java example.HelloClient [HOST:PORT [WORKFLOW_FILE]]
 * </pre>
 *
 * HOST:PORT defaults to $SLUICE_MASTER, else 127.0.0.1:17400 (cluster-config/local-3.yaml's
 * master); WORKFLOW_FILE to ../hello.yaml (examples/hello.yaml when run from examples/client).
 */
public final class HelloClient {
  private HelloClient() {}

  public static void main(String[] args) throws Exception {
    String master =
        args.length > 0
            ? args[0]
            : System.getenv().getOrDefault("SLUICE_MASTER", "127.0.0.1:17400");
    Path file = Path.of(args.length > 1 ? args[1] : "../hello.yaml");

    try (SluiceClient sluice = SluiceClient.builder().target(master).build()) {
      Registration r = sluice.register(file);
      System.out.println("registered " + r.workflow() + ", placed " + r.placement());

      String id = sluice.start(r.workflow(), Map.of("name", "Ada"));
      System.out.println("started " + id);

      InstanceStatus end = sluice.await(id).get(5, TimeUnit.MINUTES);
      System.out.println(
          id + " " + end.state() + " in " + end.elapsed().toMillis() + " ms: " + end.output());

      InstanceStatus status = sluice.status(id);
      System.out.println("status: " + status.state() + ", workers " + status.workersUsed());
      for (NodeProgress n : status.nodes()) {
        System.out.printf(
            "  node %-10s %-10s on %-4s attempts %d%n",
            n.nodeId(), n.state(), n.workerId(), n.attempts());
      }

      System.out.println("history:");
      sluice
          .history(id)
          .forEach(
              (HistoryStep s) ->
                  System.out.printf(
                      "  %3d %-20s %-8s %-4s %s%n",
                      s.seq(),
                      s.type(),
                      s.nodeId(),
                      s.workerId(),
                      s.duration() == null ? "" : s.duration().toMillis() + " ms"));
    }
  }
}

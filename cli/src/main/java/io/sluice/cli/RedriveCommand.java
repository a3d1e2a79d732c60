package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.RedriveRequest;
import io.sluice.proto.RedriveResponse;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice redrive ID [--wait] [--json]}: runs a failed instance again from where it failed.
 */
@Command(
    name = "redrive",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a failed or cancelled instance again, under the same id, from the nodes that did not"
          + " complete: the outputs of the completed ones are kept (their functions are not"
          + " called again), as Step Functions' redrive does. Needs a durable cluster"
          + " (durability: redis, docs/durability.md).",
      "Without --wait prints how many nodes are kept and how many run again. Exit 0 redriven"
          + " (with --wait: it completed), 1 with --wait when it failed again, 2 when it cannot"
          + " be redriven (running, succeeded, unknown, not durable) or the master is"
          + " unreachable."
    })
final class RedriveCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(names = "--wait", description = "wait for the instance's new end and print its result")
  boolean await;

  @Option(names = "--json", description = "with --wait, print one JSON object describing the run")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        RedriveResponse r =
            c.stub(false).redrive(RedriveRequest.newBuilder().setInstanceId(id).build());
        String line =
            "redriven "
                + r.getInstanceId()
                + ": "
                + r.getNodesKept()
                + " completed node"
                + (r.getNodesKept() == 1 ? "" : "s")
                + " kept, "
                + r.getNodesRerun()
                + " run again";
        if (!await) {
          cl.getOut().println(line);
          return 0;
        }
        cl.getErr().println(line);
        InstanceStatus last = null;
        Iterator<io.sluice.proto.InstanceUpdate> updates =
            c.stub(true).watchInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
        while (updates.hasNext()) {
          var u = updates.next();
          if (u.hasStatus()) {
            last = u.getStatus();
          }
        }
        if (last == null) {
          last =
              c.stub(false).getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
        }
        ClusterReports.print(cl, last, json, null);
        return ClusterReports.exitCode(last);
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

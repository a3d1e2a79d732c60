package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice status --master HOST:PORT ID}: an instance's state. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows an instance's state as the master knows it: a state line (id, workflow, state, nodes"
          + " done, elapsed), then its output when it succeeded or its error when it failed.",
      "Exit 0 when running or completed, 1 when failed or cancelled, 2 when unknown or unreachable."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        InstanceStatus s =
            c.stub(false).getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
        if (!json) {
          cl.getOut().println(InstanceLines.state(s));
        }
        ClusterReports.print(cl, s, json);
        return ClusterReports.exitCode(s);
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

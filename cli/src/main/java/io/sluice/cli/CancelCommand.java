package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.CancelRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice cancel --master HOST:PORT ID}: cancels a running instance. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels a running instance and prints its state afterwards.",
      "Exit 0 when the master answered, 2 for an unknown instance or an unreachable master."
    })
final class CancelCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "why (recorded in the instance's error)")
  String reason;

  @Override
  public Integer call() {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        var r =
            c.stub(false)
                .cancel(
                    CancelRequest.newBuilder()
                        .setInstanceId(id)
                        .setReason(reason == null ? "cancelled from the command line" : reason)
                        .build());
        cl.getOut().println(id + " " + ClusterReports.state(r.getState()));
        return 0;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

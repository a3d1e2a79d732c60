package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.RetireWorkflowRequest;
import io.sluice.proto.RetireWorkflowResponse;
import io.sluice.proto.WorkflowRef;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice retire NAME@VERSION [--undo]}: new instances of a version refused, or again taken.
 */
@Command(
    name = "retire",
    mixinStandardHelpOptions = true,
    description = {
      "Retires a workflow version: new instances of it are refused (FAILED_PRECONDITION), the"
          + " running ones finish. --undo takes new instances again. A durable master"
          + " (durability: redis) keeps it across a restart; otherwise it lasts as long as the"
          + " master's memory.",
      "Exit 0 when the master answered, 2 for an unknown version, a bad NAME@VERSION or an"
          + " unreachable master."
    })
final class RetireCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "NAME@VERSION", description = "the workflow version")
  String workflow;

  @Option(names = "--undo", description = "take new instances of the version again")
  boolean undo;

  @Override
  public Integer call() {
    var cl = spec.commandLine();
    int at = workflow.lastIndexOf('@');
    if (at <= 0 || at == workflow.length() - 1) {
      throw new CommandLine.ParameterException(
          cl,
          "NAME@VERSION expected (e.g. hello@1; sluice versions NAME lists them), got '"
              + workflow
              + "'");
    }
    WorkflowRef ref =
        WorkflowRef.newBuilder()
            .setName(workflow.substring(0, at))
            .setVersion(workflow.substring(at + 1))
            .build();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        RetireWorkflowResponse r =
            c.stub(false)
                .retireWorkflow(
                    RetireWorkflowRequest.newBuilder().setWorkflow(ref).setUndo(undo).build());
        String key = r.getWorkflow().getName() + "@" + r.getWorkflow().getVersion();
        cl.getOut()
            .println(
                key
                    + (r.getRetired()
                        ? " is retired: new instances are refused"
                        : " is active: it takes new instances")
                    + " ("
                    + r.getRunningInstances()
                    + " running)");
        return 0;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

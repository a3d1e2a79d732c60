package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.client.RunInputs;
import io.sluice.client.Submissions;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkflowRef;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice submit --master HOST:PORT FILE}: registers a workflow and starts an instance. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Registers a workflow with a running master and starts an instance on the cluster.",
      "Without --wait prints the instance id. With --wait: exit 0 when it completed, 1 when it"
          + " failed or was cancelled; 2 for an invalid definition or an unreachable master.",
      "With --count N (quick load from one JVM): starts N instances, at most --concurrency in"
          + " flight, waits for all and prints one summary line; exit 0 when all completed, 1"
          + " otherwise."
    })
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "FILE", description = "the workflow definition")
  Path file;

  @picocli.CommandLine.Mixin RunInputs run;

  @Option(
      names = "--mode",
      defaultValue = "worker",
      paramLabel = "worker|master",
      description = "who schedules the hops: workers (WorkerSP, default) or the master (MasterSP)")
  String mode;

  @Option(names = "--wait", description = "wait for the instance's end and print its result")
  boolean await;

  @Option(
      names = "--json",
      description = "with --wait or --count, print one JSON object describing the run")
  boolean json;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "start N instances from this one JVM, wait for all, print a one-line summary"
              + " (submitted, completed, failed, cancelled, instances/s, p50/p99 latency)")
  int count = 1;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "16",
      description = "with --count: at most C instances in flight (default ${DEFAULT-VALUE})")
  int concurrency = 16;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    run.check(cl);
    if (count < 1) {
      throw new picocli.CommandLine.ParameterException(
          cl, "--count must be at least 1, got " + count);
    }
    if (concurrency < 1) {
      throw new picocli.CommandLine.ParameterException(
          cl, "--concurrency must be at least 1, got " + concurrency);
    }
    Mode m = Submissions.mode(cl, mode);
    String inputJson = Submissions.inputJson(cl, run);
    RegisterWorkflowRequest register = Submissions.register(cl, file, run);
    ContainerCounts before = ContainerCounts.now();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        WorkflowRef ref = c.stub(false).registerWorkflow(register).getWorkflow();
        InvokeRequest req = Submissions.invoke(ref, inputJson, run, m);
        if (count > 1) {
          SubmitLoad.Summary sum = SubmitLoad.run(c.channel(), req, count, concurrency);
          cl.getOut()
              .println(
                  json ? io.sluice.client.Inputs.JSON.writeValueAsString(sum.json()) : sum.line());
          return sum.exitCode();
        }
        if (!await) {
          cl.getOut().println(c.stub(false).invoke(req).getInstanceId());
          return 0;
        }
        InstanceStatus s = c.stub(true).invokeAndWait(req);
        ClusterReports.print(cl, s, json, before);
        return ClusterReports.exitCode(s);
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

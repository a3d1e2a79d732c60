package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice submit --master HOST:PORT FILE}: registers a workflow and starts an instance. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Registers a workflow with a running master and starts an instance on the cluster.",
      "Without --wait prints the instance id. With --wait: exit 0 when it completed, 1 when it",
      "failed or was cancelled; 2 for an invalid definition or an unreachable master."
    })
final class SubmitCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--master",
      required = true,
      paramLabel = "HOST:PORT",
      description = "the master's gRPC address")
  String master;

  @Parameters(index = "0", paramLabel = "FILE", description = "the workflow definition")
  Path file;

  @Option(names = "--input", paramLabel = "JSON|@FILE", description = "the workflow input")
  String input;

  @Option(names = "--functions", paramLabel = "REGISTRY", description = "a function registry file")
  Path functions;

  @Option(
      names = "--synthetic",
      description = "run functions declared nowhere on the synthetic runtime")
  boolean synthetic;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      paramLabel = "X",
      description = "synthetic compute time = hint x X (default ${DEFAULT-VALUE}; 0 = no wait)")
  double timeScale;

  @Option(
      names = "--data-scale",
      defaultValue = "0",
      paramLabel = "Y",
      description = "synthetic output bytes = hint x Y (default ${DEFAULT-VALUE}: no payload)")
  double dataScale;

  @Option(
      names = "--mode",
      defaultValue = "worker",
      paramLabel = "worker|master",
      description = "who schedules the hops: workers (WorkerSP, default) or the master (MasterSP)")
  String mode;

  @Option(names = "--wait", description = "wait for the instance's end and print its result")
  boolean await;

  @Option(names = "--json", description = "with --wait, print one JSON object describing the run")
  boolean json;

  static Mode mode(picocli.CommandLine cl, String mode) {
    return switch (mode) {
      case "worker" -> Mode.MODE_WORKER;
      case "master" -> Mode.MODE_MASTER;
      default -> throw new ParameterException(cl, "--mode must be worker or master, got " + mode);
    };
  }

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    if (timeScale < 0 || dataScale < 0) {
      throw new ParameterException(cl, "--time-scale and --data-scale must not be negative");
    }
    Mode m = mode(cl, mode);
    String inputJson = Inputs.JSON.writeValueAsString(Inputs.parse(cl, input));
    var register = RegisterWorkflowRequest.newBuilder().setSource(source(cl, file));
    if (functions != null) {
      register
          .setFunctionRegistryText(read(cl, functions, "--functions"))
          .setFunctionRegistryFileName(functions.toString());
    }
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        WorkflowRef ref = c.stub(false).registerWorkflow(register.build()).getWorkflow();
        InvokeRequest req =
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setInputJson(inputJson)
                .setMode(m)
                .setOptions(
                    RunOptions.newBuilder()
                        .setSynthetic(synthetic)
                        .setTimeScale(timeScale)
                        .setDataScale(dataScale))
                .build();
        if (!await) {
          cl.getOut().println(c.stub(false).invoke(req).getInstanceId());
          return 0;
        }
        InstanceStatus s = c.stub(true).invokeAndWait(req);
        ClusterReports.print(cl, s, json);
        return ClusterReports.exitCode(s);
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }

  static WorkflowSource.Builder source(picocli.CommandLine cl, Path file) {
    return WorkflowSource.newBuilder()
        .setFileName(file.toAbsolutePath().normalize().toString())
        .setDefinitionText(read(cl, file, "FILE"));
  }

  static String read(picocli.CommandLine cl, Path file, String what) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new ParameterException(cl, what + ": cannot read " + file + ": " + e.getMessage());
    }
  }
}

package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.engine.ClientFunctions;
import io.sluice.engine.Definitions;
import io.sluice.model.FunctionDef;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    run.check(cl);
    Mode m = mode(cl, mode);
    String inputJson = Inputs.JSON.writeValueAsString(Inputs.parse(cl, run.input));
    var register = RegisterWorkflowRequest.newBuilder().setSource(source(cl, file));
    String bound = boundFunctions();
    if (bound != null) {
      register
          .setFunctionRegistryText(bound)
          .setFunctionRegistryFileName(
              run.functions == null
                  ? file.getFileName() + " (functions)"
                  : run.functions.toString());
    } else if (run.functions != null) {
      register
          .setFunctionRegistryText(read(cl, run.functions, "--functions"))
          .setFunctionRegistryFileName(run.functions.toString());
    }
    ContainerCounts before = ContainerCounts.now();
    try (MasterConnection c = new MasterConnection(cl, master.address)) {
      try {
        WorkflowRef ref = c.stub(false).registerWorkflow(register.build()).getWorkflow();
        InvokeRequest req =
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setInputJson(inputJson)
                .setMode(m)
                .setOptions(
                    RunOptions.newBuilder()
                        .setSynthetic(run.synthetic)
                        .setTimeScale(run.timeScale)
                        .setDataScale(run.dataScale))
                .build();
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

  /**
   * The registry to send when the client must carry functions the definition text alone does not
   * (code files read here, synthetic functions in containers: {@link ClientFunctions}); null when
   * the registry file (or none) goes as it is. A definition the client cannot read goes as it is
   * too: the master reports its problems.
   */
  private String boundFunctions() {
    Definitions.Loaded loaded;
    try {
      loaded = Definitions.read(file, run.functions);
    } catch (RuntimeException e) { // DefinitionException, unreadable file, unknown format
      return null;
    }
    Map<String, FunctionDef> bound =
        ClientFunctions.bind(loaded, run.synthetic, run.syntheticRuntime);
    return ClientFunctions.changed(loaded, bound) ? ClientFunctions.registryText(bound) : null;
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

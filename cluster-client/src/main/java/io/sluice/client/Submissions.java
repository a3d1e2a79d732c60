package io.sluice.client;

import io.sluice.engine.ClientFunctions;
import io.sluice.engine.Definitions;
import io.sluice.model.FunctionDef;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The requests a client sends the master to run a workflow, built from the {@link RunInputs}
 * options: {@code RegisterWorkflow} (the definition text, with the functions the client must carry)
 * and {@code Invoke} (input, mode, synthetic knobs). {@code sluice submit} and {@code sluice bench
 * workflow} both build them here, so a benchmark runs exactly what {@code submit} would.
 */
public final class Submissions {
  private Submissions() {}

  /** {@code worker} or {@code master} as the wire's mode; a bad value names {@code --mode}. */
  public static Mode mode(CommandLine cl, String mode) {
    return switch (mode) {
      case "worker" -> Mode.MODE_WORKER;
      case "master" -> Mode.MODE_MASTER;
      default -> throw new ParameterException(cl, "--mode must be worker or master, got " + mode);
    };
  }

  /**
   * The registration of {@code file}: its text, and the function registry to send with it (the
   * client-bound functions, else {@code --functions}' file as it is, else none).
   */
  public static RegisterWorkflowRequest register(CommandLine cl, Path file, RunInputs run) {
    var register = RegisterWorkflowRequest.newBuilder().setSource(source(cl, file));
    String bound = boundFunctions(file, run);
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
    return register.build();
  }

  /** The run's {@code --input} as the JSON text an invocation carries ({@code null} if none). */
  public static String inputJson(CommandLine cl, RunInputs run) {
    try {
      return Inputs.JSON.writeValueAsString(Inputs.parse(cl, run.input));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ParameterException(cl, "--input: cannot encode: " + e.getMessage());
    }
  }

  /** An invocation of the registered {@code ref} with the input and the run's synthetic knobs. */
  public static InvokeRequest invoke(WorkflowRef ref, String inputJson, RunInputs run, Mode mode) {
    return InvokeRequest.newBuilder()
        .setWorkflow(ref)
        .setInputJson(inputJson)
        .setMode(mode)
        .setOptions(
            RunOptions.newBuilder()
                .setSynthetic(run.synthetic)
                .setTimeScale(run.timeScale)
                .setDataScale(run.dataScale))
        .build();
  }

  /**
   * The registry to send when the client must carry functions the definition text alone does not
   * (code files read here, synthetic functions in containers: {@link ClientFunctions}); null when
   * the registry file (or none) goes as it is. A definition the client cannot read goes as it is
   * too: the master reports its problems.
   */
  private static String boundFunctions(Path file, RunInputs run) {
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

  /** The definition as the master receives it: the file's text and its absolute path. */
  public static WorkflowSource.Builder source(CommandLine cl, Path file) {
    return WorkflowSource.newBuilder()
        .setFileName(file.toAbsolutePath().normalize().toString())
        .setDefinitionText(read(cl, file, "FILE"));
  }

  /** A file's text; a file that cannot be read is a command-line error naming {@code what}. */
  public static String read(CommandLine cl, Path file, String what) {
    if (!Files.exists(file)) {
      throw new ParameterException(cl, what + ": file " + file + " does not exist");
    }
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new ParameterException(cl, what + ": cannot read " + file + ": " + e.getMessage());
    }
  }
}

package io.sluice.client;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What a run is given (picocli options): the input, a function registry, the synthetic runtime and
 * its scales. One definition shared by {@code sluice run}, {@code sluice submit} and {@code sluice
 * bench workflow}, so the three read these options the same way.
 */
public final class RunInputs {
  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      description = "the workflow input: inline JSON or @FILE (default null)")
  public String input;

  @Option(
      names = "--functions",
      paramLabel = "REGISTRY",
      description = "a function registry file; its entries override the workflow's own")
  public Path functions;

  @Option(
      names = "--synthetic",
      description = "run functions declared nowhere on the synthetic runtime")
  public boolean synthetic;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      paramLabel = "X",
      description = "synthetic compute time = hint x X (default ${DEFAULT-VALUE}; 0 = no wait)")
  public double timeScale;

  @Option(
      names = "--data-scale",
      defaultValue = "0",
      paramLabel = "Y",
      description = "synthetic output bytes = hint x Y (default ${DEFAULT-VALUE}: no payload)")
  public double dataScale;

  @Option(
      names = "--synthetic-runtime",
      defaultValue = "jvm",
      paramLabel = "jvm|docker",
      description = {
        "where synthetic functions run (default ${DEFAULT-VALUE}): jvm = timers in the worker's"
            + " JVM; docker = each in containers of sluice/fn-python:local (bin/sluice image"
            + " build), one warm pool per function name, sleeping and returning the same output"
            + " there"
      })
  public String syntheticRuntime;

  /** Checks what picocli cannot. */
  public void check(picocli.CommandLine cl) {
    if (!syntheticRuntime.equals("jvm") && !syntheticRuntime.equals("docker")) {
      throw new ParameterException(
          cl, "--synthetic-runtime must be jvm or docker, got " + syntheticRuntime);
    }
    if (timeScale < 0 || dataScale < 0) {
      throw new ParameterException(cl, "--time-scale and --data-scale must not be negative");
    }
  }
}

package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * Runs one workflow file to its end inside this JVM (the embedded default: no service needed).
 * Wiring only: the work is the loader's, the validator's and the engine's.
 */
public final class LocalRun {
  private LocalRun() {}

  /**
   * How to run.
   *
   * @param input the workflow input
   * @param functions a function registry file, or null
   * @param synthetic bind functions declared nowhere to the synthetic runtime
   * @param timeScale synthetic compute time factor
   * @param dataScale synthetic output size factor
   * @param syntheticContainer where synthetic functions run: {@code jvm} (or null) or {@code
   *     docker} (in containers, see {@link ClientFunctions})
   * @param prewarm hint runtimes to prepare successors' functions early ({@link
   *     EngineOptions#prewarm})
   */
  public record Options(
      JsonNode input,
      Path functions,
      boolean synthetic,
      double timeScale,
      double dataScale,
      String syntheticContainer,
      boolean prewarm) {
    public Options(
        JsonNode input,
        Path functions,
        boolean synthetic,
        double timeScale,
        double dataScale,
        String syntheticContainer) {
      this(input, functions, synthetic, timeScale, dataScale, syntheticContainer, true);
    }

    public Options(
        JsonNode input, Path functions, boolean synthetic, double timeScale, double dataScale) {
      this(input, functions, synthetic, timeScale, dataScale, null);
    }
  }

  /** Loads, validates, deploys and runs; throws DefinitionException if the file is invalid. */
  public static InstanceStatus run(Path file, Options o) throws InterruptedException {
    Definitions.Loaded loaded = Definitions.read(file, o.functions());
    try (SystemScheduler scheduler = new SystemScheduler(2);
        FunctionRuntimes runtimes =
            FunctionRuntimes.load(
                new RuntimeOptions(
                    scheduler,
                    o.timeScale(),
                    o.dataScale(),
                    RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES));
        WorkflowEngine engine =
            WorkflowEngine.embedded(
                EngineOptions.of(runtimes)
                    .withRegistry(
                        ClientFunctions.bind(loaded, o.synthetic(), o.syntheticContainer()))
                    .withSyntheticFallback(o.synthetic())
                    .withPrewarm(o.prewarm()))) {
      String id = engine.start(engine.deploy(loaded.graph()), o.input());
      try {
        return engine.completion(id).get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("instance " + id + " ended abnormally", e.getCause());
      }
    }
  }
}

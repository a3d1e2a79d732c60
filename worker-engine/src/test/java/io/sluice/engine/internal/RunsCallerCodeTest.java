package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer's event may be drained on the network thread that delivered it only when no function of
 * the workflow runs its own code on the draining thread: synchronous JVM functions do, also inside
 * a map; {@code async: true} JVM functions, synthetic functions and pass nodes do not.
 */
class RunsCallerCodeTest {
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()));
  private final WorkflowEngine engine =
      WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(1));

  @AfterEach
  void close() {
    engine.close();
    runtimes.close();
  }

  private boolean runsCallerCode(String functions, String nodes) {
    String text =
        "sluice: \"1.0\"\nname: caller\n"
            + (functions.isEmpty() ? "" : "functions:\n" + functions)
            + "nodes:\n"
            + nodes;
    return ((CompiledWorkflow) engine.deploy(new WorkflowLoader().load("caller.yaml", text)))
        .runsCallerCode();
  }

  @Test
  void synchronousJvmFunctionsRunOnTheDrainingThread() {
    String fn = "  up: {runtime: java, name: sluice.identity}\n";
    assertThat(runsCallerCode(fn, "  - {id: a, type: task, function: up}\n")).isTrue();
    String inMap =
        """
          - id: m
            type: map
            items: "."
            iterator:
              nodes:
                - {id: a, type: task, function: up}
        """;
    assertThat(runsCallerCode(fn, inMap)).isTrue();
  }

  @Test
  void asyncJvmFunctionsAndPassNodesDoNot() {
    String fn = "  up: {runtime: java, name: sluice.identity, async: true}\n";
    assertThat(runsCallerCode(fn, "  - {id: a, type: task, function: up}\n")).isFalse();
    assertThat(runsCallerCode("", "  - {id: p, type: pass}\n")).isFalse();
  }
}

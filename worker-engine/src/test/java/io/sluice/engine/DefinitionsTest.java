package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.model.DefinitionException;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} ({@link Definitions#load}) and {@code run} (deploy) agree on what is valid. */
class DefinitionsTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("wf.yaml"), yaml);
  }

  /** What deploying on an embedded engine with the synthetic fallback says, null if it deploys. */
  private static DefinitionException deployProblem(Path file) {
    try (SystemScheduler s = new SystemScheduler(1);
        FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(s));
        WorkflowEngine e =
            WorkflowEngine.embedded(EngineOptions.of(rt).withSyntheticFallback(true))) {
      WorkflowGraph g = Definitions.read(file, null).graph();
      return catchThrowableOfType(DefinitionException.class, () -> e.deploy(g));
    }
  }

  @Test
  void aFunctionWhoseRuntimeDoesNotExistIsInvalidForBoth() throws Exception {
    Path file =
        write(
            """
            sluice: "1.0"
            name: w
            functions:
              f: {runtime: "99999999999999999999"}
            nodes:
              - {id: a, type: task, function: f}
            """);
    DefinitionException v =
        catchThrowableOfType(DefinitionException.class, () -> Definitions.load(file, null, true));
    assertThat(v).as("validate").isNotNull();
    assertThat(v.problems()).hasSize(1);
    assertThat(v.problems().get(0).location().line()).isEqualTo(4);
    assertThat(v.problems().get(0).message())
        .contains("function 'f' uses runtime '99999999999999999999', which does not exist here");
    assertThat(deployProblem(file)).as("deploy").isNotNull();
  }

  @Test
  void settingsTheRuntimeRejectsAreInvalidForBoth() throws Exception {
    Path file =
        write(
            """
            sluice: "1.0"
            name: w
            functions:
              f: {runtime: synthetic, timeout: soon}
            nodes:
              - {id: a, type: task, function: f}
            """);
    DefinitionException v =
        catchThrowableOfType(DefinitionException.class, () -> Definitions.load(file, null, true));
    assertThat(v).as("validate").isNotNull();
    assertThat(v.getMessage()).contains("wf.yaml:4:").contains("timeout");
    DefinitionException d = deployProblem(file);
    assertThat(d).as("deploy").isNotNull();
    assertThat(d.getMessage()).contains("wf.yaml:6: a: function 'f' cannot be bound");
  }

  @Test
  void aFunctionNoTaskCallsIsNotBound() throws Exception {
    Path file =
        write(
            """
            sluice: "1.0"
            name: w
            functions:
              unused: {runtime: nosuch}
            nodes:
              - {id: a, type: pass}
            """);
    assertThat(Definitions.load(file, null, true).graph().nodes()).hasSize(1);
    assertThat(deployProblem(file)).isNull();
  }
}

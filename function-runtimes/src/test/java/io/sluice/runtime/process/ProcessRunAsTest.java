package io.sluice.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.security.RunAs;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker that runs as root runs process functions as {@code security.runAs} (default {@code
 * nobody}); only testable as root, so skipped otherwise.
 */
@IntegrationTest // starts OS processes as another user
class ProcessRunAsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @BeforeEach
  void asRoot() {
    Assumptions.assumeTrue(
        RunAs.isRoot(), "this test runs as uid != 0: a worker that is not root cannot change user");
  }

  @Test
  void aRootWorkersProcessFunctionRunsAsNobody() throws Exception {
    RunAs nobody = RunAs.forWorker(null);
    assertThat(nobody.user()).isEqualTo("nobody");
    try (SystemScheduler scheduler = new SystemScheduler(1)) {
      FunctionRuntime runtime =
          new ProcessRuntimeProvider().create(RuntimeOptions.of(scheduler).withRunAs(nobody));
      try {
        FunctionDef f =
            new FunctionDef(
                "whoami",
                "process",
                JSON.objectNode()
                    .put("command", "echo \"{\\\"uid\\\": $(id -u), \\\"gid\\\": $(id -g)}\"")
                    .put("workingDir", "/"),
                null);
        JsonNode out =
            runtime
                .invoke(
                    new Invocation(f, JSON.objectNode(), Long.MAX_VALUE, "i", "n", 1, Hints.NONE))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("process function as " + nobody + ": " + out);
        assertThat(out.path("uid").asInt()).isEqualTo(nobody.uid()).isNotZero();
        assertThat(out.path("gid").asInt()).isEqualTo(nobody.gid()).isNotZero();
      } finally {
        runtime.close();
      }
    }
  }

  @Test
  void aUserThatDoesNotExistStopsTheWorkerWithAClearError() {
    assertThatThrownBy(() -> RunAs.forWorker("sluice-no-such-user"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "security.runAs: user 'sluice-no-such-user' does not exist on this host")
        .hasMessageContaining("will not run process functions as root");
  }
}

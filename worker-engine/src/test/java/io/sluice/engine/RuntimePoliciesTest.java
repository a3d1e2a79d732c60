package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries with backoff, timeouts and catch, on every real runtime: in-JVM functions, processes and
 * synthetic functions, defined in the native format.
 */
class RuntimePoliciesTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final AtomicInteger javaCalls = new AtomicInteger();
  private final RuntimeOptions options = new RuntimeOptions(scheduler, 0.01, 0, 1 << 20);
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(options)
          .register(
              JavaRuntime.create(options)
                  .register(
                      "flaky",
                      (in, ctx) -> {
                        if (javaCalls.incrementAndGet() < 3) {
                          throw new FunctionException("Flaky", "try again", true);
                        }
                        return M.createObjectNode().put("attempt", ctx.attempt());
                      }));
  private final WorkflowEngine engine =
      WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2));

  @AfterEach
  void close() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  private InstanceStatus run(String yaml, String input) throws Exception {
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load("policies.yaml", yaml)), M.readTree(input));
    return engine.completion(id).get(30, TimeUnit.SECONDS);
  }

  @Test
  void javaFunctionIsRetriedWithBackoffUntilItSucceeds() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: java-retry
            functions:
              flaky: {runtime: java}
            nodes:
              - id: f
                type: task
                function: flaky
                retry: {maxAttempts: 5, backoff: 10ms, multiplier: 2, jitter: 0.5, retryOn: [Flaky]}
            """,
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("attempt").asInt()).isEqualTo(3);
    assertThat(s.invocations()).isEqualTo(3);
  }

  @Test
  @IntegrationTest // starts OS processes
  void processThatOverrunsItsTimeoutIsKilledRetriedAndCaught() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: process-timeout
            functions:
              slow: {runtime: process, command: ["/bin/sh", "-c", "sleep 30"]}
            nodes:
              - id: slow
                type: task
                function: slow
                timeout: 300ms
                retry: {maxAttempts: 2, backoff: 10ms, retryOn: [Timeout]}
                catch: [{errors: [Timeout], next: fallback}]
                next: never
              - id: never
                type: pass
              - id: fallback
                type: pass
                output: '{caught: .error, node: .node}'
            """,
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("caught").asText()).isEqualTo("Timeout");
    assertThat(s.invocations()).isEqualTo(2);
    assertThat(s.nodesSkipped()).isEqualTo(1);
  }

  @Test
  @IntegrationTest // starts OS processes
  void processFailureIsCaughtWithItsExitCode() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: process-exit
            functions:
              broken: {runtime: process, command: "echo oops >&2; exit 3"}
            nodes:
              - id: broken
                type: task
                function: broken
                catch: [{errors: [FunctionFailed], next: report}]
              - id: report
                type: pass
            """,
            "{}");
    assertThat(s.output().get("error").asText()).isEqualTo("FunctionFailed");
    assertThat(s.output().get("cause").asText()).contains("3").contains("oops");
  }

  @Test
  @IntegrationTest // starts OS processes
  void processEchoesItsJsonInput() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: process-cat
            functions:
              cat: {runtime: process, command: ["cat"]}
            nodes:
              - {id: cat, type: task, function: cat, output: '{got: .x}'}
            """,
            "{\"x\": 7}");
    assertThat(s.output().get("got").asInt()).isEqualTo(7);
  }

  @Test
  void syntheticFailuresAreRetriedThenTimeoutIsCaught() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: synthetic-policies
            functions:
              twice: {runtime: synthetic, failAttempts: 2, failType: Transient, computeMs: 1}
              long: {runtime: synthetic, computeMs: 600000}
            nodes:
              - id: twice
                type: task
                function: twice
                retry: {maxAttempts: 3, backoff: 1ms}
                next: long
              - id: long
                type: task
                function: long
                timeout: 200ms
                catch: [{errors: [Timeout], next: done}]
              - id: done
                type: pass
            """,
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.invocations()).isEqualTo(4);
    JsonNode out = s.output();
    assertThat(out.get("error").asText()).isEqualTo("Timeout");
    assertThat(out.get("node").asText()).isEqualTo("long");
  }
}

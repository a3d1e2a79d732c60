package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.http.FunctionsFramework;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workflows whose nodes are {@code http} functions served by Google's functions framework
 * (function-runtimes/src/test/resources/functions-framework/index.js), run by the embedded engine:
 * an HTTP function feeding a CloudEvent function, and the node's retry policy meeting 500s, a 429
 * with Retry-After, and a 4xx that it must not retry. Without {@code SLUICE_NODE_TOOLS} the tests
 * are skipped with the reason, and fail under {@code CI=true}.
 */
@IntegrationTest // starts Node.js processes
class HttpWorkflowTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static FunctionsFramework http;
  private static FunctionsFramework events;
  private static SystemScheduler scheduler;
  private static FunctionRuntimes runtimes;
  private static WorkflowEngine engine;

  @BeforeAll
  static void start() throws Exception {
    String why = FunctionsFramework.problem();
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the functions framework tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Path source =
        Path.of(System.getProperty("sluice.root", ".."))
            .resolve("function-runtimes/src/test/resources/functions-framework")
            .toAbsolutePath();
    http = FunctionsFramework.start(source, "router", "http", Duration.ofSeconds(60));
    events = FunctionsFramework.start(source, "onEvent", "cloudevent", Duration.ofSeconds(60));
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    engine = WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
      runtimes.close();
      scheduler.close();
    }
    if (http != null) {
      http.close();
    }
    if (events != null) {
      events.close();
    }
  }

  private static InstanceStatus run(String yaml, String input) throws Exception {
    String text =
        yaml.replace("HTTP", http.url().toString()).replace("EVENTS", events.url().toString());
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load("http.yaml", text)), M.readTree(input));
    return engine.completion(id).get(60, TimeUnit.SECONDS);
  }

  @Test
  void anHttpFunctionFeedsACloudEventFunction() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: http-chain
            functions:
              upper: {runtime: http, url: "HTTPtransform", preset: gcf}
              count: {runtime: http, url: "EVENTS", preset: gcf, signatureType: cloudevent,
                      eventType: com.example.count}
            nodes:
              - id: shout
                type: task
                function: upper
                next: count
              - id: count
                type: task
                function: count
                input: '{text: .text, n: .length}'
                output: '{words: .words, doubled: .doubled, id: .id, type: .type}'
            """,
            "{\"text\": \"to be or not\"}");
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("words").asInt()).isEqualTo(4);
    assertThat(s.output().get("doubled").asInt()).isEqualTo(24);
    assertThat(s.output().get("id").asText()).isEqualTo(s.instanceId() + "/count/1");
    assertThat(s.output().get("type").asText()).isEqualTo("com.example.count");
  }

  @Test
  void serverErrorsAreRetriedByTheNodesPolicy() throws Exception {
    String key = UUID.randomUUID().toString();
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: http-retry
            functions:
              flaky: {runtime: http, url: "HTTPflaky"}
            nodes:
              - id: flaky
                type: task
                function: flaky
                retry: {maxAttempts: 3, backoff: 10ms, retryOn: [Http5xx]}
            """,
            "{\"key\": \"" + key + "\", \"failures\": 2, \"status\": 500}");
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("calls").asInt()).isEqualTo(3);
    assertThat(s.invocations()).isEqualTo(3);
  }

  @Test
  void aThrottledCallWaitsForItsRetryAfterBeforeTheNextAttempt() throws Exception {
    String key = UUID.randomUUID().toString();
    long t0 = System.nanoTime();
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: http-throttled
            functions:
              flaky: {runtime: http, url: "HTTPflaky"}
            nodes:
              - id: flaky
                type: task
                function: flaky
                retry: {maxAttempts: 2, backoff: 10ms, retryOn: [Http429]}
            """,
            "{\"key\": \"" + key + "\", \"failures\": 1, \"status\": 429, \"retryAfter\": 1}");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("calls").asInt()).isEqualTo(2);
    assertThat(elapsedMs)
        .as("the second attempt waited for Retry-After: 1")
        .isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aClientErrorIsNotRetriedAndCanBeCaught() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: http-4xx
            functions:
              status: {runtime: http, url: "HTTPstatus"}
            nodes:
              - id: call
                type: task
                function: status
                retry: {maxAttempts: 3, backoff: 10ms}
                catch: [{errors: [Http4xx], next: fallback}]
              - id: fallback
                type: pass
                output: '{caught: .error, cause: .cause}'
            """,
            "{\"status\": 422, \"message\": \"bad order\"}");
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.invocations()).isEqualTo(1);
    assertThat(s.output().get("caught").asText()).isEqualTo("Http4xx");
    assertThat(s.output().get("cause").asText()).contains("HTTP 422", "bad order");
  }
}

package io.sluice.runtime.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code aws-lambda} runtime against a real Lambda Invoke endpoint that runs here:
 * serverless-offline ({@link ServerlessOffline}) serving Node.js handlers, reached through the
 * {@code endpoint} setting with the AWS SDK's own client, signing and error parsing. Credentials
 * come from the SDK's default chain (test values in the aws.accessKeyId / aws.secretAccessKey
 * system properties; serverless-offline does not check signatures). Also runs workflows with Lambda
 * nodes on the embedded engine: retries and catch matching on the function's {@code errorType}.
 */
@IntegrationTest // starts serverless-offline (Node.js)
class LambdaOfflineTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static ServerlessOffline sls;
  private static SystemScheduler scheduler;
  private static LambdaFunctionRuntime runtime;

  @BeforeAll
  static void start() throws Exception {
    TestCredentials.install();
    sls = ServerlessOffline.start();
    scheduler = new SystemScheduler(2);
    runtime = new LambdaFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  @AfterAll
  static void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
      scheduler.close();
    }
    if (sls != null) {
      sls.close();
    }
  }

  static ObjectNode settings(String key, String endpoint) {
    return M.createObjectNode()
        .put("function", ServerlessOffline.SERVICE_PREFIX + key)
        .put("endpoint", endpoint)
        .put("region", "us-east-1");
  }

  private static FunctionDef fn(String key, Object... more) {
    ObjectNode s = settings(key, sls.endpoint());
    for (int i = 0; i < more.length; i += 2) {
      s.set((String) more[i], M.valueToTree(more[i + 1]));
    }
    return new FunctionDef(key, "aws-lambda", s, Location.of("lambda.yaml", 4));
  }

  private static CompletableFuture<JsonNode> call(FunctionDef f, JsonNode input, int attempt) {
    return runtime
        .invoke(new Invocation(f, input, Long.MAX_VALUE, "inst-7", "node-a", attempt, Hints.NONE))
        .toCompletableFuture();
  }

  private static FunctionException failure(CompletableFuture<JsonNode> f) throws Exception {
    try {
      return fail("expected a failure, got " + f.get(60, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      return FunctionException.of(e);
    }
  }

  @Test
  void resultComesBackAndTheIdempotencyKeyTravelsInTheClientContext() throws Exception {
    JsonNode input = M.readTree("{\"order\": 42, \"text\": \"héllo \\\"world\\\"\"}");
    JsonNode out = call(fn("echo"), input, 2).get(60, TimeUnit.SECONDS);
    assertThat(out.get("input")).isEqualTo(input);
    assertThat(out.get("idempotencyKey").asText()).isEqualTo("inst-7/node-a@2");
    assertThat(out.get("stepKey").asText()).isEqualTo("inst-7/node-a");
    assertThat(out.get("node").asText()).isEqualTo("node-a");
    assertThat(out.get("attempt").asText()).isEqualTo("2");
  }

  @Test
  void aThrownErrorBecomesAFailureTypedWithItsErrorType() throws Exception {
    FunctionException e = failure(call(fn("fail"), M.readTree("{\"card\": \"visa\"}"), 1));
    // serverless-offline reports every thrown error as errorType "Error" (Lambda's Node.js
    // runtime would use the error's name); the type is whatever the payload says.
    assertThat(e.type()).isEqualTo("Error");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("function 'fail'", "sluice-test-dev-fail", "node 'node-a'", "(attempt 1)")
        .contains("Unhandled", "card declined: visa");
  }

  @Test
  void anEventInvocationReturnsOnceQueuedAndPassesItsInputThrough() throws Exception {
    Path file = sls.dir().resolve("event-" + System.nanoTime() + ".json");
    ObjectNode input = M.createObjectNode().put("file", file.toString()).put("n", 7);
    JsonNode out =
        call(fn("record", "invocationType", "Event"), input, 1).get(60, TimeUnit.SECONDS);
    assertThat(out).isEqualTo(input);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file));
    assertThat(file).as("the Event invocation ran the handler").exists();
    assertThat(M.readTree(Files.readString(file))).isEqualTo(input);
  }

  @Test
  void payloadsOverLambdasLimitsAreRefusedBeforeTheCallAndOneAtTheLimitGoesThrough()
      throws Exception {
    int sync = (int) LambdaFunctionRuntime.SYNC_PAYLOAD_LIMIT;
    // {"s":"xxx..."} is 8 bytes plus the string
    JsonNode atLimit = M.createObjectNode().put("s", "x".repeat(sync - 8));
    assertThat(M.writeValueAsBytes(atLimit)).hasSize(sync);
    JsonNode out = call(fn("echo"), atLimit, 1).get(120, TimeUnit.SECONDS);
    assertThat(out.get("input").get("s").asText()).hasSize(sync - 8);

    JsonNode over = M.createObjectNode().put("s", "x".repeat(sync - 7));
    CompletableFuture<JsonNode> refused = call(fn("echo"), over, 1);
    assertThat(refused).as("refused before any request").isCompletedExceptionally();
    FunctionException e = failure(refused);
    assertThat(e.type()).isEqualTo(LambdaErrors.PAYLOAD_TOO_LARGE);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("sluice-test-dev-echo", "node-a", (sync + 1) + " bytes", sync + " bytes");

    JsonNode overEvent = M.createObjectNode().put("s", "x".repeat(1024 * 1024));
    FunctionException ev = failure(call(fn("record", "invocationType", "Event"), overEvent, 1));
    assertThat(ev.type()).isEqualTo(LambdaErrors.PAYLOAD_TOO_LARGE);
    assertThat(ev.getMessage()).contains("1048576 bytes for Event");
  }

  @Test
  void anUnknownFunctionIsResourceNotFoundAndNotRetried() throws Exception {
    FunctionException e = failure(call(fn("missing"), M.createObjectNode(), 1));
    assertThat(e.type()).isEqualTo("ResourceNotFoundException");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 404", "sluice-test-dev-missing");
  }

  @Test
  void aHandlerThatReturnsNothingOutputsNull() throws Exception {
    assertThat(call(fn("nothing"), M.createObjectNode(), 1).get(60, TimeUnit.SECONDS).isNull())
        .isTrue();
  }

  @Test
  void aTimeoutSettingCancelsTheCall() throws Exception {
    FunctionException e =
        failure(call(fn("slow", "timeout", "500ms"), M.createObjectNode().put("ms", 30_000), 1));
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    assertThat(e.getMessage()).contains("node-a");
  }

  private static InstanceStatus runWorkflow(String yaml) throws Exception {
    try (FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
        WorkflowEngine engine =
            WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2))) {
      String text = yaml.replace("ENDPOINT", sls.endpoint());
      String id =
          engine.start(
              engine.deploy(new WorkflowLoader().load("lambda.yaml", text)), M.createObjectNode());
      return engine.completion(id).get(120, TimeUnit.SECONDS);
    }
  }

  private static final String FUNCTIONS =
      """
      sluice: "1.0"
      name: NAME
      functions:
        charge: {runtime: aws-lambda, function: sluice-test-dev-fail, endpoint: ENDPOINT, region: us-east-1}
        flaky:  {runtime: aws-lambda, function: sluice-test-dev-flaky, endpoint: ENDPOINT, region: us-east-1}
        echo:   {runtime: aws-lambda, function: sluice-test-dev-echo, endpoint: ENDPOINT, region: us-east-1}
      """;

  @Test
  void aWorkflowRetriesALambdaNodeOnItsErrorTypeUntilItSucceeds() throws Exception {
    InstanceStatus s =
        runWorkflow(
            FUNCTIONS.replace("NAME", "lambda-retry")
                + """
                nodes:
                  - id: flaky
                    type: task
                    function: flaky
                    input: '{succeedOn: 3}'
                    retry: {maxAttempts: 3, backoff: 10ms, retryOn: [Error]}
                    next: echo
                  - id: echo
                    type: task
                    function: echo
                """);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.invocations()).isEqualTo(4);
    JsonNode flaky = s.output().get("input");
    assertThat(flaky.get("attempt").asInt()).isEqualTo(3);
    assertThat(flaky.get("idempotencyKey").asText()).endsWith("/flaky@3");
    assertThat(flaky.get("stepKey").asText()).endsWith("/flaky");
    assertThat(s.output().get("idempotencyKey").asText()).endsWith("/echo@1");
    assertThat(s.output().get("stepKey").asText()).endsWith("/echo");
  }

  @Test
  void aRetryPolicyForOtherTypesDoesNotRetryTheFunctionsError() throws Exception {
    InstanceStatus s =
        runWorkflow(
            FUNCTIONS.replace("NAME", "lambda-no-retry")
                + """
                nodes:
                  - id: flaky
                    type: task
                    function: flaky
                    retry: {maxAttempts: 3, backoff: 10ms, retryOn: [TooManyRequestsException]}
                """);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.invocations()).isEqualTo(1);
    assertThat(s.error().type()).isEqualTo("Error");
    assertThat(s.error().message()).contains("attempt 1 failed");
  }

  @Test
  void aWorkflowCatchesALambdaNodesErrorTypeAndGoesOn() throws Exception {
    InstanceStatus s =
        runWorkflow(
            FUNCTIONS.replace("NAME", "lambda-catch")
                + """
                nodes:
                  - id: charge
                    type: task
                    function: charge
                    input: '{card: "amex"}'
                    catch: [{errors: [Error], next: declined}]
                    next: shipped
                  - id: shipped
                    type: pass
                  - id: declined
                    type: task
                    function: echo
                    input: '{caught: .error, cause: .cause}'
                """);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("input").get("caught").asText()).isEqualTo("Error");
    assertThat(s.output().get("input").get("cause").asText()).contains("card declined: amex");
    assertThat(s.nodesSkipped()).isEqualTo(1);
  }

  /**
   * Warm-call latency through serverless-offline, printed (a figure, not a check): {@code
   * LAMBDA_BENCH_CALLS} sequential calls of the echo function after 20 warm-up calls.
   */
  @Test
  void warmCallLatencyIsReported() throws Exception {
    FunctionDef echo = fn("echo");
    JsonNode input = M.createObjectNode().put("k", 1);
    for (int i = 0; i < 20; i++) {
      call(echo, input, 1).get(60, TimeUnit.SECONDS);
    }
    int n = Integer.parseInt(System.getenv().getOrDefault("LAMBDA_BENCH_CALLS", "200"));
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      assertThat(call(echo, input, 1).get(60, TimeUnit.SECONDS).get("input")).isEqualTo(input);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "aws-lambda via serverless-offline: %d warm calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        n, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6);
  }
}

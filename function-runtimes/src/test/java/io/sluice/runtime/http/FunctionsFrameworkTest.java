package io.sluice.runtime.http;

import static io.sluice.runtime.http.HttpRuntimeTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The http runtime against Google's functions framework (npm {@code
 * @google-cloud/functions-framework} 5.0.5, from {@code $SLUICE_NODE_TOOLS}): an HTTP function
 * ({@code router}) and a CloudEvent function ({@code onEvent}) from {@code
 * src/test/resources/functions-framework/index.js}, each in its own framework process, called in
 * every format and with the gcf preset. Without the tools the tests are skipped with the reason,
 * and fail under {@code CI=true}.
 */
@IntegrationTest // starts Node.js processes
class FunctionsFrameworkTest {
  private static FunctionsFramework http;
  private static FunctionsFramework events;
  private static SystemScheduler scheduler;
  private static HttpFunctionRuntime runtime;

  @BeforeAll
  static void start() throws Exception {
    String why = FunctionsFramework.problem();
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the functions framework tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Path source = source();
    http = FunctionsFramework.start(source, "router", "http", Duration.ofSeconds(60));
    events = FunctionsFramework.start(source, "onEvent", "cloudevent", Duration.ofSeconds(60));
    scheduler = new SystemScheduler(1);
    runtime = new HttpFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  /** The folder of the test functions (test resources on the class path). */
  static Path source() throws Exception {
    return Path.of(
            FunctionsFrameworkTest.class.getResource("/functions-framework/index.js").toURI())
        .getParent();
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
      scheduler.close();
    }
    if (http != null) {
      http.close();
    }
    if (events != null) {
      events.close();
    }
  }

  private static FunctionDef fn(String name, String settings) throws Exception {
    return new FunctionDef(name, "http", JSON.readTree(settings), Location.of("ff.yaml", 1));
  }

  private static String base(FunctionsFramework ff) {
    String u = ff.url().toString();
    return u.substring(0, u.length() - 1);
  }

  private static JsonNode call(FunctionDef f, String input) throws Exception {
    return runtime
        .invoke(
            new Invocation(f, JSON.readTree(input), Long.MAX_VALUE, "i-1", "step", 1, Hints.NONE))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static FunctionException failure(FunctionDef f, String input) throws Exception {
    try {
      throw new AssertionError("expected a failure, got " + call(f, input));
    } catch (ExecutionException e) {
      return (FunctionException) e.getCause();
    }
  }

  @Test
  void aTargetTheSourceDoesNotExportFailsToStartWithTheFrameworksOutput() throws Exception {
    try (FunctionsFramework ff =
        FunctionsFramework.start(source(), "noSuchFunction", "http", Duration.ofSeconds(60))) {
      throw new AssertionError("started on " + ff.url());
    } catch (java.io.IOException e) {
      assertThat(e.getMessage()).contains("noSuchFunction", "exited with");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{}",
        "{\"preset\": \"gcf\"}",
        "{\"preset\": \"gcf\", \"httpVersion\": \"HTTP_2\"}"
      })
  void anHttpFunctionTransformsJson(String extra) throws Exception {
    ObjectNode s = (ObjectNode) JSON.readTree(extra);
    s.put("url", base(http) + "/transform?lang=en");
    JsonNode out = call(fn("transform", s.toString()), "{\"text\": \"hello world\"}");
    assertThat(out.get("text").asText()).isEqualTo("HELLO WORLD");
    assertThat(out.get("length").asInt()).isEqualTo(11);
    assertThat(out.get("method").asText()).isEqualTo("POST");
    assertThat(out.get("query").get("lang").asText()).isEqualTo("en");
  }

  @Test
  void jqChoosesTheRouteAndHeadersAndTheTokenIsABearerToken() throws Exception {
    String env = System.getenv("HOME") != null ? "HOME" : "PATH";
    FunctionDef f =
        fn(
            "t",
            "{\"url\": \"${ \\\""
                + base(http)
                + "/\\\" + .route }\", \"preset\": \"gcf\", \"tokenEnv\": \""
                + env
                + "\", \"headers\": {\"X-Custom\": \"${ .text | ascii_downcase }\"}}");
    JsonNode out = call(f, "{\"route\": \"transform\", \"text\": \"AbC\"}");
    assertThat(out.get("text").asText()).isEqualTo("ABC");
    assertThat(out.get("custom").asText()).isEqualTo("abc");
    assertThat(out.get("authorization").asText()).isEqualTo("Bearer " + System.getenv(env));
  }

  @Test
  void statusCodesBecomeTypedErrors() throws Exception {
    FunctionDef f = fn("s", "{\"url\": \"" + base(http) + "/status\", \"preset\": \"gcf\"}");
    FunctionException e500 = failure(f, "{\"status\": 500, \"message\": \"db down\"}");
    assertThat(e500.type()).isEqualTo("Http5xx");
    assertThat(e500.retryable()).isTrue();
    assertThat(e500.getMessage()).contains("'s'", base(http) + "/status", "HTTP 500", "db down");
    FunctionException e429 = failure(f, "{\"status\": 429, \"retryAfter\": 3}");
    assertThat(e429.type()).isEqualTo("Http429");
    assertThat(e429.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    FunctionException e403 = failure(f, "{\"status\": 403, \"message\": \"forbidden here\"}");
    assertThat(e403.type()).isEqualTo("Http4xx");
    assertThat(e403.retryable()).isFalse();
    assertThat(e403.getMessage()).contains("HTTP 403", "forbidden here");

    FunctionDef thrower = fn("t", "{\"url\": \"" + base(http) + "/throw\"}");
    FunctionException threw = failure(thrower, "{}");
    assertThat(threw.type()).isEqualTo("Http5xx");
    assertThat(threw.getMessage()).contains("the function threw on purpose");
  }

  @Test
  void textIsBadOutputAndNoContentIsNull() throws Exception {
    FunctionException text = failure(fn("x", "{\"url\": \"" + base(http) + "/text\"}"), "{}");
    assertThat(text.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(text.getMessage()).contains("text/plain", "this is not JSON");
    assertThat(call(fn("e", "{\"url\": \"" + base(http) + "/empty\"}"), "{}").isNull()).isTrue();
  }

  @Test
  void openFaasAndAzurePresetsCallTheirPaths() throws Exception {
    JsonNode faas =
        call(
            fn("resize", "{\"url\": \"" + base(http) + "\", \"preset\": \"openfaas\"}"),
            "{\"a\":1}");
    assertThat(faas.get("path").asText()).isEqualTo("/function/resize");
    assertThat(faas.get("input").get("a").asInt()).isEqualTo(1);
    String env = System.getenv("HOME") != null ? "HOME" : "PATH";
    JsonNode azure =
        call(
            fn(
                "Resize",
                "{\"url\": \""
                    + base(http)
                    + "\", \"preset\": \"azure\", \"tokenEnv\": \""
                    + env
                    + "\"}"),
            "{}");
    assertThat(azure.get("path").asText()).isEqualTo("/api/Resize");
    assertThat(azure.get("key").asText()).isEqualTo(System.getenv(env));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"preset\": \"gcf\", \"signatureType\": \"cloudevent\"}",
        "{\"preset\": \"gcf\", \"signatureType\": \"cloudevent\", \"format\": \"cloudevents-structured\"}",
        "{\"format\": \"cloudevents-binary\"}",
        "{\"format\": \"cloudevents-structured\"}",
        "{\"preset\": \"knative\"}"
      })
  void aCloudEventFunctionRepliesWithDataDerivedFromTheEvent(String extra) throws Exception {
    ObjectNode s = (ObjectNode) JSON.readTree(extra);
    s.put("url", events.url().toString()).put("eventType", "com.example.count");
    JsonNode out = call(fn("count", s.toString()), "{\"n\": 21, \"text\": \"one two three\"}");
    assertThat(out.get("doubled").asInt()).isEqualTo(42);
    assertThat(out.get("words").asInt()).isEqualTo(3);
    assertThat(out.get("id").asText()).isEqualTo("i-1/step/1");
    assertThat(out.get("type").asText()).isEqualTo("com.example.count");
    assertThat(out.get("source").asText()).isEqualTo("sluice/count/step");
    assertThat(out.get("subject").asText()).isEqualTo("i-1/step");
    assertThat(out.get("attempt").asText()).isEqualTo("1");
  }

  @Test
  void aCloudEventFunctionsTextEmptyAndFailingReplies() throws Exception {
    String gcf = "\"preset\": \"gcf\", \"signatureType\": \"cloudevent\"";
    FunctionDef text =
        fn(
            "t",
            "{\"url\": \""
                + events.url()
                + "\", "
                + gcf
                + ", \"eventType\": \"sluice.test.text\"}");
    assertThat(call(text, "{}").asText()).isEqualTo("plain text from i-1/step/1");
    FunctionDef strict =
        fn(
            "t",
            "{\"url\": \""
                + events.url()
                + "\", \"format\": \"cloudevents-binary\","
                + " \"eventType\": \"sluice.test.text\"}");
    assertThat(failure(strict, "{}").type()).isEqualTo(FunctionException.BAD_OUTPUT);
    FunctionDef empty =
        fn(
            "e",
            "{\"url\": \""
                + events.url()
                + "\", "
                + gcf
                + ", \"eventType\": \"sluice.test.empty\"}");
    assertThat(call(empty, "{}").isNull()).isTrue();
    FunctionDef failing =
        fn(
            "f",
            "{\"url\": \""
                + events.url()
                + "\", "
                + gcf
                + ", \"eventType\": \"sluice.test.fail\"}");
    FunctionException e = failure(failing, "{}");
    assertThat(e.type()).isEqualTo("Http5xx");
    assertThat(e.getMessage()).contains("failed on purpose");
  }
}

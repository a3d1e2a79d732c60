package io.sluice.runtime.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * The {@code aws-lambda} runtime's settings, ClientContext and error mapping, without a Lambda
 * endpoint (the payloads and exceptions are shaped as AWS documents them; LambdaOfflineTest calls a
 * real Invoke endpoint).
 */
class LambdaRuntimeTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final LambdaFunctionRuntime runtime =
      new LambdaFunctionRuntime(RuntimeOptions.of(scheduler));

  @AfterEach
  void close() {
    runtime.close();
    scheduler.close();
  }

  private static FunctionDef fn(Object... settings) {
    ObjectNode s = M.createObjectNode();
    for (int i = 0; i < settings.length; i += 2) {
      s.set((String) settings[i], M.valueToTree(settings[i + 1]));
    }
    return new FunctionDef("pay", "aws-lambda", s, Location.of("shop.yaml", 9));
  }

  private static Invocation inv(String instance, String node, int attempt) {
    return new Invocation(
        fn("function", "f"),
        M.createObjectNode(),
        Long.MAX_VALUE,
        instance,
        node,
        attempt,
        Hints.NONE);
  }

  @Test
  void validateAcceptsNamesArnsAndTheDocumentedSettings() {
    runtime.validate(fn("function", "resize-image"));
    runtime.validate(fn("function", "arn:aws:lambda:eu-west-1:123456789012:function:resize:prod"));
    runtime.validate(fn("function", "123456789012:function:resize"));
    runtime.validate(
        fn(
            "function", "resize",
            "qualifier", "$LATEST",
            "region", "us-gov-west-1",
            "endpoint", "http://127.0.0.1:3002",
            "invocationType", "Event",
            "timeout", "30s"));
  }

  @Test
  void validateNamesTheWrongSetting() {
    assertThatThrownBy(() -> runtime.validate(fn()))
        .hasMessageContaining("function 'pay' (shop.yaml:9): setting 'function' is required");
    assertThatThrownBy(() -> runtime.validate(fn("function", "has space")))
        .hasMessageContaining("setting 'function' is not a Lambda function name or ARN");
    assertThatThrownBy(() -> runtime.validate(fn("function", "f", "qualifier", "v 1")))
        .hasMessageContaining("setting 'qualifier' must be a version or alias");
    assertThatThrownBy(() -> runtime.validate(fn("function", "f", "region", "Mars")))
        .hasMessageContaining("setting 'region' must be an AWS region");
    assertThatThrownBy(() -> runtime.validate(fn("function", "f", "endpoint", "localhost:3002")))
        .hasMessageContaining("setting 'endpoint' must be an http or https URL");
    assertThatThrownBy(() -> runtime.validate(fn("function", "f", "invocationType", "DryRun")))
        .hasMessageContaining("setting 'invocationType' must be RequestResponse")
        .hasMessageContaining("got DryRun");
    assertThatThrownBy(() -> runtime.validate(fn("function", "f", "timeout", "1 minute")))
        .hasMessageContaining("setting 'timeout'");
  }

  @Test
  void theRuntimeIsFoundThroughTheProviderInterface() {
    try (FunctionRuntimes all = FunctionRuntimes.load(RuntimeOptions.of(scheduler))) {
      assertThat(all.kinds()).contains("aws-lambda");
      assertThat(all.check(fn("function", "ok"))).isEmpty();
      assertThat(all.check(fn()))
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("setting 'function' is required"));
    }
  }

  @Test
  void aBadSettingFailsTheCallForGood() {
    var f = fn("function", "f", "invocationType", "Later");
    var result =
        runtime
            .invoke(
                new Invocation(f, M.createObjectNode(), Long.MAX_VALUE, "i", "n", 1, Hints.NONE))
            .toCompletableFuture();
    assertThat(result).isCompletedExceptionally();
    FunctionException e = FunctionException.of(catchJoin(result));
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.retryable()).isFalse();
  }

  private static Throwable catchJoin(java.util.concurrent.CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e;
    }
  }

  @Test
  void theRegionComesFromTheSettingElseTheArn() {
    assertThat(LambdaSpec.of(fn("function", "f", "region", "eu-west-3")).ownRegion())
        .isEqualTo("eu-west-3");
    assertThat(
            LambdaSpec.of(fn("function", "arn:aws:lambda:ap-south-1:123456789012:function:f"))
                .ownRegion())
        .isEqualTo("ap-south-1");
    assertThat(LambdaSpec.of(fn("function", "f")).ownRegion()).isNull();
  }

  @Test
  void theClientContextCarriesTheIdempotencyKeyAndTheStepsIds() throws Exception {
    JsonNode cc = decode(ClientContexts.encode(inv("order-17.map.3", "charge", 2)));
    assertThat(cc)
        .isEqualTo(
            M.readTree(
                "{\"custom\":{\"idempotencyKey\":\"order-17.map.3/charge@2\","
                    + "\"stepKey\":\"order-17.map.3/charge\","
                    + "\"instanceId\":\"order-17.map.3\",\"nodeId\":\"charge\",\"attempt\":\"2\"}}"));
    JsonNode first = decode(ClientContexts.encode(inv("i", "n", 1))).get("custom");
    JsonNode fifth = decode(ClientContexts.encode(inv("i", "n", 5))).get("custom");
    assertThat(first.get("stepKey")).isEqualTo(fifth.get("stepKey"));
    assertThat(first.get("idempotencyKey")).isNotEqualTo(fifth.get("idempotencyKey"));
  }

  @Test
  void withTracingOnTheClientContextCarriesTheCallsTraceparent() throws Exception {
    assertThat(decode(ClientContexts.encode(inv("i", "n", 1))).get("custom").has("traceparent"))
        .as("tracing off")
        .isFalse();
    var sdk =
        io.opentelemetry.sdk.OpenTelemetrySdk.builder()
            .setTracerProvider( // a provider with no processor makes no spans
                io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .addSpanProcessor(
                        io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                            io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create()))
                    .build())
            .build();
    io.sluice.runtime.trace.Tracing.install(sdk);
    var span = sdk.getTracer("test").spanBuilder("node n").startSpan();
    try (var ignored = span.makeCurrent()) {
      String expected = io.sluice.runtime.trace.Tracing.currentTraceparent();
      assertThat(expected).contains(span.getSpanContext().getSpanId());
      assertThat(decode(ClientContexts.encode(inv("i", "n", 1))).get("custom").get("traceparent"))
          .isEqualTo(M.getNodeFactory().textNode(expected));
      JsonNode small = decode(ClientContexts.encode(inv("i".repeat(3000), "n", 1))).get("custom");
      assertThat(small.get("traceparent").asText()).isEqualTo(expected);
    } finally {
      span.end();
      io.sluice.runtime.trace.Tracing.uninstall();
      sdk.close();
    }
  }

  @Test
  void aClientContextOverLambdasLimitSendsTheBoundedKeysWithoutTheIds() throws Exception {
    String longId = "i".repeat(3000);
    String encoded = ClientContexts.encode(inv(longId, "node", 3));
    assertThat(encoded.length()).isLessThanOrEqualTo(ClientContexts.MAX_BASE64);
    JsonNode custom = decode(encoded).get("custom");
    assertThat(custom.get("idempotencyKey").asText())
        .hasSizeLessThanOrEqualTo(io.sluice.runtime.CallKey.MAX_LENGTH)
        .matches("i+~[0-9a-f]{40}");
    assertThat(custom.get("attempt").asText()).isEqualTo("3");
    assertThat(custom.has("instanceId")).isFalse();
    assertThat(decode(ClientContexts.encode(inv(longId, "node", 1))).get("custom").get("stepKey"))
        .isEqualTo(custom.get("stepKey"));
  }

  private static JsonNode decode(String base64) throws Exception {
    return M.readTree(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void functionErrorsTakeTheirErrorTypeFromEachRuntimesPayload() {
    FunctionException node =
        LambdaErrors.functionError(
            "W",
            "Unhandled",
            bytes(
                "{\"errorType\":\"PaymentDeclined\",\"errorMessage\":\"card declined\","
                    + "\"trace\":[\"PaymentDeclined: card declined\","
                    + "\"    at Runtime.handler (/var/task/index.js:3:9)\"]}"));
    assertThat(node.type()).isEqualTo("PaymentDeclined");
    assertThat(node.retryable()).isTrue();
    assertThat(node.getMessage())
        .isEqualTo(
            "W: the function failed (Unhandled): PaymentDeclined: card declined"
                + " (at Runtime.handler (/var/task/index.js:3:9))");

    FunctionException python =
        LambdaErrors.functionError(
            "W",
            "Unhandled",
            bytes(
                "{\"errorMessage\":\"division by zero\",\"errorType\":\"ZeroDivisionError\","
                    + "\"requestId\":\"r\",\"stackTrace\":[\"  File \\\"/var/task/app.py\\\","
                    + " line 2, in handler\\n    1/0\\n\"]}"));
    assertThat(python.type()).isEqualTo("ZeroDivisionError");
    assertThat(python.getMessage()).contains("division by zero", "/var/task/app.py");

    FunctionException timedOut =
        LambdaErrors.functionError(
            "W",
            "Unhandled",
            bytes(
                "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: r Error:"
                    + " Task timed out after 3.00 seconds\"}"));
    assertThat(timedOut.type()).isEqualTo("Sandbox.Timedout");

    FunctionException opaque = LambdaErrors.functionError("W", "Handled", bytes("not json"));
    assertThat(opaque.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(opaque.getMessage()).contains("Handled", "not json");
  }

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }

  @Test
  void apiErrorsKeepAwsNamesAndOnlyTransientOnesAreRetryable() {
    FunctionException throttled =
        LambdaErrors.of(
            "W",
            "Lambda",
            new CompletionException(
                TooManyRequestsException.builder()
                    .statusCode(429)
                    .awsErrorDetails(details("TooManyRequestsException", "Rate exceeded"))
                    .build()));
    assertThat(throttled.type()).isEqualTo(LambdaErrors.TOO_MANY_REQUESTS);
    assertThat(throttled.retryable()).isTrue();
    assertThat(throttled.getMessage())
        .isEqualTo("W: Lambda answered HTTP 429 TooManyRequestsException: Rate exceeded");

    FunctionException service =
        LambdaErrors.of(
            "W",
            "Lambda",
            ServiceException.builder()
                .statusCode(500)
                .awsErrorDetails(details("ServiceException", "internal"))
                .build());
    assertThat(service.type()).isEqualTo("ServiceException");
    assertThat(service.retryable()).isTrue();

    FunctionException updating =
        LambdaErrors.of(
            "W",
            "Lambda",
            ResourceConflictException.builder()
                .statusCode(409)
                .awsErrorDetails(details("ResourceConflictException", "update in progress"))
                .build());
    assertThat(updating.retryable()).isTrue();

    FunctionException missing =
        LambdaErrors.of(
            "W",
            "Lambda",
            ResourceNotFoundException.builder()
                .statusCode(404)
                .awsErrorDetails(details("ResourceNotFoundException", "Function not found: f"))
                .build());
    assertThat(missing.type()).isEqualTo("ResourceNotFoundException");
    assertThat(missing.retryable()).isFalse();
    assertThat(missing.getMessage()).contains("Function not found: f");

    FunctionException tooLarge =
        LambdaErrors.of(
            "W",
            "Lambda",
            software.amazon.awssdk.services.lambda.model.RequestTooLargeException.builder()
                .statusCode(413)
                .awsErrorDetails(details("RequestTooLargeException", "Request must be smaller"))
                .build());
    assertThat(tooLarge.type()).isEqualTo(LambdaErrors.PAYLOAD_TOO_LARGE);
    assertThat(tooLarge.retryable()).isFalse();

    FunctionException unreachable =
        LambdaErrors.of(
            "W",
            "http://127.0.0.1:1",
            SdkClientException.create("Unable to execute HTTP request: Connection refused"));
    assertThat(unreachable.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(unreachable.retryable()).isTrue();
    assertThat(unreachable.getMessage())
        .isEqualTo(
            "W: cannot reach Lambda at http://127.0.0.1:1: Unable to execute HTTP request:"
                + " Connection refused");

    FunctionException slow = LambdaErrors.of("W", "Lambda", ApiCallTimeoutException.create(1000));
    assertThat(slow.type()).isEqualTo(FunctionException.TIMEOUT);
  }
}

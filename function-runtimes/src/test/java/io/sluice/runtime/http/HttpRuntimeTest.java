package io.sluice.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http runtime against an in-JVM HTTP server: the JSON format, status codes and their error
 * types, Retry-After, jq in url/method/headers, tokens from the environment and from files,
 * presets' paths and key headers, timeouts, refused connections, size limits and threads.
 */
class HttpRuntimeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private TestServer server;
  private SystemScheduler scheduler;
  private final AtomicLong skippedNanos = new AtomicLong();
  private HttpFunctionRuntime runtime;

  @BeforeEach
  void setUp() throws Exception {
    server = new TestServer();
    scheduler = new SystemScheduler(1);
    // the system clock, which a test may move forward (the token file's recheck interval)
    Scheduler clock =
        new Scheduler() {
          @Override
          public long nanoTime() {
            return scheduler.nanoTime() + skippedNanos.get();
          }

          @Override
          public long currentTimeMillis() {
            return scheduler.currentTimeMillis();
          }

          @Override
          public Cancellable schedule(Duration delay, Runnable task) {
            return scheduler.schedule(delay, task);
          }
        };
    runtime = new HttpFunctionRuntime(new RuntimeOptions(clock, 1, 1, 4096));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    server.close();
    scheduler.close();
  }

  static FunctionDef fn(String json) throws Exception {
    return new FunctionDef("f", "http", JSON.readTree(json), Location.of("test.yaml", 3));
  }

  static Invocation inv(FunctionDef f, String input) throws Exception {
    return new Invocation(f, JSON.readTree(input), Long.MAX_VALUE, "wf-7", "node-a", 2, Hints.NONE);
  }

  JsonNode call(FunctionDef f, String input) throws Exception {
    return runtime.invoke(inv(f, input)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  FunctionException failure(FunctionDef f, String input) throws Exception {
    try {
      JsonNode out = call(f, input);
      throw new AssertionError("expected a failure, got " + out);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FunctionException.class);
      return (FunctionException) e.getCause();
    }
  }

  FunctionDef at(String path) throws Exception {
    return fn("{\"url\": \"" + server.url(path) + "\"}");
  }

  @Test
  void jsonPostsTheInputAndTheBodyIsTheOutput() throws Exception {
    server.answer(200, "application/json", "{\"sum\": 3}");
    JsonNode out = call(at("/add"), "{\"a\": 1, \"b\": [2]}");
    assertThat(out).isEqualTo(JSON.readTree("{\"sum\": 3}"));
    TestServer.Request r = server.last();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/add");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"a\": 1, \"b\": [2]}"));
  }

  @Test
  void anEmptyAnswerIsNull() throws Exception {
    server.answer(204, null, null);
    assertThat(call(at("/x"), "{}").isNull()).isTrue();
    server.answer(200, "application/json", "  \n");
    assertThat(call(at("/x"), "{}").isNull()).isTrue();
  }

  @Test
  void serverErrorsAreRetryableHttp5xxNamingFunctionUrlAndStatusButNoQuery() throws Exception {
    server.answer(500, "text/plain", "database is down");
    FunctionException e = failure(fn("{\"url\": \"" + server.url("/p?code=s3cret") + "\"}"), "{}");
    assertThat(e.type()).isEqualTo("Http5xx");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isZero();
    assertThat(e.getMessage())
        .contains("'f'", "node-a", "POST " + server.url("/p"), "HTTP 500", "database is down")
        .doesNotContain("s3cret");
    assertThat(server.last().query()).isEqualTo("code=s3cret");
  }

  @Test
  void retryAfterInSecondsOrAsAnHttpDateIsCarriedAndCapped() throws Exception {
    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("Retry-After", "7");
          TestServer.send(ex, 429, "application/json", "{\"error\": \"slow down\"}");
        });
    FunctionException e = failure(at("/x"), "{}");
    assertThat(e.type()).isEqualTo("Http429");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.getMessage()).contains("HTTP 429", "slow down", "7000 ms");

    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("Retry-After", date);
          TestServer.send(ex, 503, "text/plain", "maintenance");
        });
    FunctionException d = failure(at("/x"), "{}");
    assertThat(d.type()).isEqualTo("Http5xx");
    assertThat(d.retryAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));

    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("Retry-After", "86400");
          TestServer.send(ex, 429, null, null);
        });
    FunctionException capped =
        failure(fn("{\"url\": \"" + server.url("/x") + "\", \"maxRetryAfter\": \"90s\"}"), "{}");
    assertThat(capped.retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void otherClientErrorsAreNotRetryableAndShowAnExcerpt() throws Exception {
    server.answer(404, "application/json", "{\"error\": \"no such item\"}");
    FunctionException e = failure(at("/missing"), "{}");
    assertThat(e.type()).isEqualTo("Http4xx");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 404", "no such item");

    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("Location", "http://elsewhere.example/f?sig=abc");
          TestServer.send(ex, 302, null, null);
        });
    FunctionException r = failure(at("/moved"), "{}");
    assertThat(r.type()).isEqualTo("Http3xx");
    assertThat(r.retryable()).isFalse();
    assertThat(r.getMessage()).contains("http://elsewhere.example/f").doesNotContain("sig=abc");
  }

  @Test
  void aBodyThatIsNotJsonIsBadOutputWithAShortExcerptAndItsContentType() throws Exception {
    server.answer(200, "text/html", "<html>" + "x".repeat(1000) + "</html>");
    FunctionException e = failure(at("/page"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("text/html", "'<html>xxx", "1013 bytes");
    String excerpt = e.getMessage().substring(e.getMessage().indexOf("'<html>"));
    assertThat(excerpt.indexOf("…'") - 1).isLessThanOrEqualTo(HttpErrors.EXCERPT_CHARS);
  }

  @Test
  void aBodyOverTheLimitIsBadOutput() throws Exception {
    server.answer(200, "application/json", "\"" + "x".repeat(5000) + "\"");
    FunctionException e = failure(at("/big"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.getMessage()).contains("5002 bytes", "over the limit");
  }

  @Test
  void aStreamedBodyStopsBeingReadAtTheLimit() throws Exception {
    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse it by
          try (var out = ex.getResponseBody()) {
            for (int i = 0; i < 1000; i++) {
              out.write(
                  "[1,2,3,4,5,6,7,8,9,10],".getBytes(java.nio.charset.StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (java.io.IOException closedByTheClient) {
            // expected once the runtime stops reading
          }
        });
    FunctionException e = failure(at("/stream"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.getMessage()).contains("more than", "over the limit");
  }

  @Test
  void twoJsonValuesAreNotOneOutput() throws Exception {
    server.answer(200, "application/json", "{\"a\": 1} {\"b\": 2}");
    FunctionException e = failure(at("/two"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.getMessage()).contains("not JSON", "{\"a\": 1} {\"b\": 2}");
  }

  @Test
  void aHeaderValueWithALineBreakFromJqFailsTheCall() throws Exception {
    FunctionDef f =
        fn("{\"url\": \"" + server.url("/x") + "\", \"headers\": {\"X-A\": \"${ .v }\"}}");
    FunctionException e = failure(f, "{\"v\": \"a\\r\\nInjected: 1\"}");
    assertThat(e.type()).isEqualTo("ExpressionFailed");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("headers.X-A");
  }

  @Test
  void aTracedCallCarriesItsNodeSpansTraceparentHeader() throws Exception {
    server.answer(200, "application/json", "{}");
    FunctionDef f = fn("{\"url\": \"http://127.0.0.1:%d/t\"}".formatted(server.port()));
    call(f, "{}");
    assertThat(server.last().header("traceparent")).as("tracing off").isNull();
    var spans = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    var sdk =
        io.opentelemetry.sdk.OpenTelemetrySdk.builder()
            .setTracerProvider(
                io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .addSpanProcessor(
                        io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    io.sluice.runtime.trace.Tracing.install(sdk);
    try {
      io.sluice.runtime.trace.Tracing.invoke(runtime, inv(f, "{}"), "wf-7", null)
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().until(() -> !spans.getFinishedSpanItems().isEmpty());
      var node = spans.getFinishedSpanItems().get(0).getSpanContext();
      assertThat(server.last().header("traceparent"))
          .isEqualTo(
              "00-"
                  + node.getTraceId()
                  + "-"
                  + node.getSpanId()
                  + "-"
                  + node.getTraceFlags().asHex());
      // A definition's own traceparent header is sent as it is, alone.
      io.sluice.runtime.trace.Tracing.invoke(
              runtime,
              inv(
                  fn(
                      "{\"url\": \"http://127.0.0.1:%d/t\", \"headers\": {\"Traceparent\": \"mine\"}}"
                          .formatted(server.port())),
                  "{}"),
              "wf-7",
              null)
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      assertThat(
              server.last().headers().entrySet().stream()
                  .filter(e -> e.getKey().equalsIgnoreCase("traceparent"))
                  .flatMap(e -> e.getValue().stream())
                  .toList())
          .containsExactly("mine");
    } finally {
      io.sluice.runtime.trace.Tracing.uninstall();
      sdk.close();
    }
  }

  @Test
  void everyCallCarriesTheIdempotencyKeyHeaderAndJqSeesBothKeys() throws Exception {
    server.answer(200, "application/json", "{}");
    String base = "http://127.0.0.1:" + server.port();
    FunctionDef f =
        fn(
            """
            {"url": "%s/charge", "headers": {"X-Step": "${ $stepKey }", "X-Key": "${ $idempotencyKey }"}}
            """
                .formatted(base));
    call(f, "{}");
    TestServer.Request r = server.last();
    assertThat(r.header("Idempotency-Key")).isEqualTo("wf-7/node-a@2");
    assertThat(r.header("X-Key")).isEqualTo("wf-7/node-a@2");
    assertThat(r.header("X-Step")).isEqualTo("wf-7/node-a");

    call(fn("{\"url\": \"%s/plain\"}".formatted(base)), "{}");
    assertThat(server.last().header("Idempotency-Key")).isEqualTo("wf-7/node-a@2");

    // A definition's own Idempotency-Key replaces the engine's: one header, the definition's.
    call(
        fn("{\"url\": \"%s/own\", \"headers\": {\"idempotency-key\": \"mine\"}}".formatted(base)),
        "{}");
    assertThat(
            server.last().headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Idempotency-Key"))
                .flatMap(e -> e.getValue().stream())
                .toList())
        .containsExactly("mine");
  }

  @Test
  void urlMethodAndHeadersMayBeJqOverTheInputAndLiteralsStayLiteral() throws Exception {
    server.answer(200, "application/json", "{\"ok\": true}");
    String base = "http://127.0.0.1:" + server.port();
    FunctionDef f =
        fn(
            """
            {"url": "${ \\"%s/items/\\" + (.id|tostring) + \\"?v=\\" + .v }",
             "method": "${ .verb }",
             "headers": {"X-Id": "${ .id }", "X-Literal": "a ${x} b", "X-None": "${ .absent }",
                         "Idempotency-Key": "${ $instance + \\"/\\" + $node + \\"/\\" + ($attempt|tostring) }",
                         "X-Number": 5}}
            """
                .formatted(base));
    assertThat(call(f, "{\"id\": 42, \"v\": \"2\", \"verb\": \"PUT\"}").get("ok").asBoolean())
        .isTrue();
    TestServer.Request r = server.last();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.path()).isEqualTo("/items/42");
    assertThat(r.query()).isEqualTo("v=2");
    assertThat(r.header("X-Id")).isEqualTo("42");
    assertThat(r.header("X-Literal")).isEqualTo("a ${x} b");
    assertThat(r.header("X-None")).isNull();
    assertThat(r.header("X-Number")).isEqualTo("5");
    assertThat(r.header("Idempotency-Key")).isEqualTo("wf-7/node-a/2");

    call(f, "{\"id\": 1, \"v\": \"3\", \"verb\": \"GET\"}");
    assertThat(server.last().method()).isEqualTo("GET");
    assertThat(server.last().body()).isEmpty();

    FunctionException bad = failure(f, "{\"id\": 1, \"v\": \"3\", \"verb\": \"get me\"}");
    assertThat(bad.type()).isEqualTo("ExpressionFailed");
    assertThat(bad.getMessage()).contains("method", "get me");
    FunctionException noUrl = failure(f, "{\"id\": 1, \"v\": [1], \"verb\": \"GET\"}");
    assertThat(noUrl.type()).isEqualTo("ExpressionFailed");
    assertThat(noUrl.getMessage()).contains("url");
  }

  @Test
  void aTokenFromAnEnvironmentVariableIsABearerToken() throws Exception {
    String name = System.getenv("HOME") != null ? "HOME" : "PATH";
    FunctionDef f = fn("{\"url\": \"" + server.url("/x") + "\", \"tokenEnv\": \"" + name + "\"}");
    call(f, "{}");
    assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + System.getenv(name));

    FunctionDef missing =
        fn("{\"url\": \"" + server.url("/x") + "\", \"tokenEnv\": \"SLUICE_NO_SUCH_VARIABLE_9\"}");
    FunctionException e = failure(missing, "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("SLUICE_NO_SUCH_VARIABLE_9", "tokenEnv");
  }

  @Test
  void aTokenFileIsReadAndReReadWhenItChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first-token\n");
    FunctionDef f = fn("{\"url\": \"" + server.url("/x") + "\", \"tokenFile\": \"" + file + "\"}");
    call(f, "{}");
    assertThat(server.last().header("Authorization")).isEqualTo("Bearer first-token");
    Files.writeString(file, "second-token");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    skippedNanos.addAndGet(TokenSource.RECHECK_NANOS + 1);
    call(f, "{}");
    assertThat(server.last().header("Authorization")).isEqualTo("Bearer second-token");

    FunctionDef gone =
        fn("{\"url\": \"" + server.url("/x") + "\", \"tokenFile\": \"" + dir.resolve("no") + "\"}");
    FunctionException e = failure(gone, "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.getMessage()).contains("tokenFile").doesNotContain("second-token");
  }

  @Test
  void presetsBuildTheirPathsAndPutTheKeyInTheirHeader(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "k-123");
    String base = "http://127.0.0.1:" + server.port();
    call(
        fn("{\"url\": \"" + base + "\", \"preset\": \"azure\", \"tokenFile\": \"" + key + "\"}"),
        "{}");
    assertThat(server.last().path()).isEqualTo("/api/f");
    assertThat(server.last().header("x-functions-key")).isEqualTo("k-123");
    assertThat(server.last().header("Authorization")).isNull();
    call(
        fn(
            "{\"url\": \""
                + base
                + "/\", \"preset\": \"azure\", \"routePrefix\": \"\","
                + " \"functionName\": \"Resize\"}"),
        "{}");
    assertThat(server.last().path()).isEqualTo("/Resize");
    call(
        fn("{\"url\": \"" + base + "\", \"preset\": \"openfaas\", \"tokenFile\": \"" + key + "\"}"),
        "{}");
    assertThat(server.last().path()).isEqualTo("/function/f");
    assertThat(server.last().header("Authorization")).isEqualTo("Bearer k-123");
  }

  @Test
  void aCallPastItsTimeoutFailsWithTimeoutAndFreesTheServer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.answer(
        (ex, req) -> {
          release.await(30, TimeUnit.SECONDS);
          TestServer.send(ex, 200, "application/json", "{}");
        });
    FunctionDef f = fn("{\"url\": \"" + server.url("/slow") + "\", \"timeout\": \"200ms\"}");
    try {
      FunctionException e = failure(f, "{}");
      assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
      assertThat(e.retryable()).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRefusedConnectionIsRetryableConnectionFailed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    FunctionException e = failure(fn("{\"url\": \"http://127.0.0.1:" + port + "/f\"}"), "{}");
    assertThat(e.type()).isEqualTo("ConnectionFailed");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("127.0.0.1:" + port + "/f");
  }

  @Test
  void theResultCompletesNeitherOnTheCallersThreadNorOnTheClientsSelector() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.answer(
        (ex, req) -> {
          release.await(30, TimeUnit.SECONDS);
          TestServer.send(ex, 200, "application/json", "{}");
        });
    CompletableFuture<String> thread =
        runtime
            .invoke(inv(at("/x"), "{}"))
            .toCompletableFuture()
            .thenApply(out -> Thread.currentThread().getName());
    release.countDown();
    assertThat(thread.get(20, TimeUnit.SECONDS))
        .isNotEqualTo(Thread.currentThread().getName())
        .doesNotContain("SelectorManager");
  }

  @Test
  void settingsAreCompiledOncePerDefinition() throws Exception {
    FunctionDef f = at("/x");
    assertThat(runtime.spec(f)).isSameAs(runtime.spec(f));
    ObjectNode input = JSON.createObjectNode().put("n", 1);
    server.answer(200, "application/json", "1");
    runtime
        .invoke(new Invocation(f, input, Long.MAX_VALUE, "i", "n", 1, Hints.NONE))
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    assertThat(runtime.spec(f)).isSameAs(runtime.spec(f));
  }

  @Test
  void fiftyParallelCallsEachGetTheirOwnOutput() throws Exception {
    server.answer((ex, req) -> TestServer.send(ex, 200, "application/json", req.text()));
    FunctionDef f = at("/echo");
    java.util.List<CompletableFuture<JsonNode>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(runtime.invoke(inv(f, "{\"i\": " + i + "}")).toCompletableFuture());
    }
    for (int i = 0; i < 50; i++) {
      assertThat(calls.get(i).get(20, TimeUnit.SECONDS).get("i").asInt()).isEqualTo(i);
    }
  }

  @Test
  void closeFailsRunningCallsWhichCountAsBusyUntilThen() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.answer(
        (ex, req) -> {
          release.await(30, TimeUnit.SECONDS);
          TestServer.send(ex, 200, "application/json", "{}");
        });
    try {
      CompletableFuture<JsonNode> running =
          runtime.invoke(inv(at("/x"), "{}")).toCompletableFuture();
      assertThat(runtime.footprint().busySlots()).isEqualTo(1);
      runtime.close();
      assertThat(runtime.footprint().busySlots()).isZero();
      try {
        running.get(20, TimeUnit.SECONDS);
        throw new AssertionError("expected a failure");
      } catch (ExecutionException e) {
        assertThat(e.getCause().getMessage()).contains("closed");
        assertThat(((FunctionException) e.getCause()).retryable()).isTrue();
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void afterCloseCallsFailAtOnce() throws Exception {
    runtime.close();
    FunctionException e = failure(at("/x"), "{}");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("closed");
  }
}

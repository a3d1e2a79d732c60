package io.sluice.runtime.http;

import static io.sluice.runtime.http.HttpRuntimeTest.JSON;
import static io.sluice.runtime.http.HttpRuntimeTest.fn;
import static io.sluice.runtime.http.HttpRuntimeTest.inv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents formats against an in-JVM server: what binary and structured requests carry
 * (attributes, the input as data), and how binary, structured, plain and empty replies are read.
 */
class HttpCloudEventsTest {
  private TestServer server;
  private SystemScheduler scheduler;
  private HttpFunctionRuntime runtime;

  @BeforeEach
  void setUp() throws Exception {
    server = new TestServer();
    scheduler = new SystemScheduler(1);
    runtime = new HttpFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    server.close();
    scheduler.close();
  }

  private FunctionDef ce(String format, String extra) throws Exception {
    return fn(
        "{\"url\": \"" + server.url("/ce") + "\", \"format\": \"" + format + "\"" + extra + "}");
  }

  private JsonNode call(FunctionDef f, String input) throws Exception {
    return runtime.invoke(inv(f, input)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void binaryRequestsCarryTheAttributesAsHeadersAndTheInputAsBody() throws Exception {
    server.answer(200, "application/json", "{\"ok\": 1}");
    FunctionDef f = ce("cloudevents-binary", ", \"eventType\": \"com.example.resize\"");
    call(f, "{\"n\": 3}");
    TestServer.Request r = server.last();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("ce-specversion")).isEqualTo("1.0");
    assertThat(r.header("ce-type")).isEqualTo("com.example.resize");
    assertThat(r.header("ce-id")).isEqualTo("wf-7/node-a/2");
    assertThat(r.header("ce-source")).isEqualTo("sluice/f/node-a");
    assertThat(r.header("ce-subject")).isEqualTo("wf-7/node-a");
    assertThat(r.header("ce-attempt")).isEqualTo("2");
    assertThat(r.header("ce-time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"n\": 3}"));

    call(ce("cloudevents-binary", ", \"eventSource\": \"/my/app\""), "{}");
    assertThat(server.last().header("ce-source")).isEqualTo("/my/app");
    assertThat(server.last().header("ce-type")).isEqualTo(HttpSpec.DEFAULT_EVENT_TYPE);
  }

  @Test
  void structuredRequestsCarryTheWholeEventAsJson() throws Exception {
    server.answer(200, "application/json", "{}");
    call(ce("cloudevents-structured", ", \"eventType\": \"t.x\""), "[1, 2]");
    TestServer.Request r = server.last();
    assertThat(r.header("Content-Type")).startsWith("application/cloudevents+json");
    assertThat(r.header("ce-id")).isNull();
    JsonNode ev = JSON.readTree(r.body());
    assertThat(ev.get("specversion").asText()).isEqualTo("1.0");
    assertThat(ev.get("id").asText()).isEqualTo("wf-7/node-a/2");
    assertThat(ev.get("type").asText()).isEqualTo("t.x");
    assertThat(ev.get("source").asText()).isEqualTo("sluice/f/node-a");
    assertThat(ev.get("subject").asText()).isEqualTo("wf-7/node-a");
    assertThat(ev.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(ev.get("data")).isEqualTo(JSON.readTree("[1, 2]"));
  }

  @Test
  void aBinaryReplysBodyIsTheOutput() throws Exception {
    server.answer(
        (ex, req) -> {
          ex.getResponseHeaders().set("ce-specversion", "1.0");
          ex.getResponseHeaders().set("ce-id", "reply-1");
          ex.getResponseHeaders().set("ce-type", "com.example.done");
          ex.getResponseHeaders().set("ce-source", "/fn");
          TestServer.send(ex, 200, "application/json", "{\"width\": 10}");
        });
    assertThat(call(ce("cloudevents-binary", ""), "{}"))
        .isEqualTo(JSON.readTree("{\"width\": 10}"));
  }

  @Test
  void aStructuredReplysDataOrDecodedDataBase64IsTheOutput() throws Exception {
    server.answer(
        200,
        "application/cloudevents+json; charset=utf-8",
        "{\"specversion\": \"1.0\", \"id\": \"r\", \"type\": \"t\", \"source\": \"/s\","
            + " \"data\": {\"k\": [1]}}");
    assertThat(call(ce("cloudevents-structured", ""), "{}"))
        .isEqualTo(JSON.readTree("{\"k\": [1]}"));

    String b64 =
        Base64.getEncoder().encodeToString("{\"b\": true}".getBytes(StandardCharsets.UTF_8));
    server.answer(
        200,
        "application/cloudevents+json",
        "{\"specversion\": \"1.0\", \"id\": \"r\", \"type\": \"t\", \"source\": \"/s\","
            + " \"datacontenttype\": \"application/json\", \"data_base64\": \""
            + b64
            + "\"}");
    assertThat(call(ce("cloudevents-binary", ""), "{}")).isEqualTo(JSON.readTree("{\"b\": true}"));

    server.answer(
        200,
        "application/cloudevents+json",
        "{\"specversion\": \"1.0\", \"id\": \"r\", \"type\": \"t\", \"source\": \"/s\"}");
    assertThat(call(ce("cloudevents-binary", ""), "{}").isNull()).isTrue();
  }

  @Test
  void aPlainJsonReplyIsTheOutputAsItIsAndAnEmptyOneIsNull() throws Exception {
    server.answer(200, "application/json", "{\"plain\": 1}");
    assertThat(call(ce("cloudevents-binary", ""), "{}")).isEqualTo(JSON.readTree("{\"plain\": 1}"));
    server.answer(202, null, null);
    assertThat(call(ce("cloudevents-structured", ""), "{}").isNull()).isTrue();
  }

  @Test
  void brokenCloudEventRepliesAreBadOutput() throws Exception {
    server.answer(200, "application/cloudevents+json", "{\"id\": \"no specversion\"}");
    assertThat(failure(ce("cloudevents-binary", ""))).contains("without specversion");
    server.answer(200, "application/cloudevents-batch+json", "[]");
    assertThat(failure(ce("cloudevents-binary", ""))).contains("batch");
    server.answer(200, "text/plain", "done");
    assertThat(failure(ce("cloudevents-binary", ""))).contains("not JSON", "text/plain", "'done'");
  }

  @Test
  void aGcfCloudEventFunctionsTextReplyIsItsText() throws Exception {
    server.answer(200, "text/html; charset=utf-8", "plain text");
    FunctionDef f =
        fn(
            "{\"url\": \""
                + server.url("/")
                + "\", \"preset\": \"gcf\","
                + " \"signatureType\": \"cloudevent\"}");
    assertThat(call(f, "{}").asText()).isEqualTo("plain text");
    assertThat(server.last().header("ce-specversion")).isEqualTo("1.0"); // binary by default
    FunctionDef http = fn("{\"url\": \"" + server.url("/") + "\", \"preset\": \"gcf\"}");
    assertThat(failure(http)).contains("not JSON");
    assertThat(server.last().header("ce-specversion")).isNull(); // an HTTP function: JSON
  }

  private String failure(FunctionDef f) throws Exception {
    try {
      call(f, "{}");
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      FunctionException fe = (FunctionException) e.getCause();
      assertThat(fe.type()).isEqualTo(FunctionException.BAD_OUTPUT);
      return fe.getMessage();
    }
  }
}

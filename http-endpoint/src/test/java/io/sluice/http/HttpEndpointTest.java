package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = 64 * 1024;

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<CloudEvent> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<HealthReport> health =
      new AtomicReference<>(HealthReport.ok("worker", "w1"));
  private PrometheusMeterRegistry metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics.counter("sluice.test.events").increment(3);
    endpoint =
        HttpEndpoint.start(
            HttpEndpointOptions.of("127.0.0.1", 0, health::get, metrics, this::sink)
                .withMaxBodyBytes(LIMIT));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  /**
   * Accepts every event (for the instance its subject names) except those for instance "missing";
   * holds those for "later", reports those for "again" as duplicates; throws on instance "boom" and
   * fails its stage on instance "late-boom".
   */
  private CompletionStage<EventReceipt> sink(CloudEvent event) {
    if ("boom".equals(event.getSubject())) {
      throw new IllegalStateException("sink exploded");
    }
    if ("late-boom".equals(event.getSubject())) {
      return CompletableFuture.failedFuture(new IllegalStateException("worker unreachable"));
    }
    if ("missing".equals(event.getSubject())) {
      return CompletableFuture.completedFuture(EventReceipt.unmatched("no instance waits for it"));
    }
    if ("later".equals(event.getSubject())) {
      return CompletableFuture.completedFuture(
          new EventReceipt(List.of(), true, false, "held for 1m"));
    }
    if ("again".equals(event.getSubject())) {
      return CompletableFuture.completedFuture(
          new EventReceipt(List.of("i-1"), false, true, "duplicate of an event routed before"));
    }
    received.add(event);
    return CompletableFuture.completedFuture(EventReceipt.matched(List.of(event.getSubject())));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + endpoint.port() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/events"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static String event(String id, String subject) {
    return """
        {"specversion":"1.0","id":"%s","type":"order.paid","source":"/shop",
         "subject":"%s","datacontenttype":"application/json","data":{"amount":12}}"""
        .formatted(id, subject);
  }

  @Test
  void healthReportsWhatTheSupplierSays() throws Exception {
    HttpResponse<String> ok = get("/health");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(json(ok))
        .isEqualTo(JSON.readTree("{\"status\":\"ok\",\"role\":\"worker\",\"id\":\"w1\"}"));

    health.set(HealthReport.notReady("worker", "w1", "starting", "registering with the master"));
    HttpResponse<String> starting = get("/health?verbose=1");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(json(starting).get("status").asText()).isEqualTo("starting");
    assertThat(json(starting).get("reason").asText()).isEqualTo("registering with the master");
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("# TYPE sluice_test_events_total counter")
        .contains("sluice_test_events_total 3.0");
  }

  @Test
  void structuredModeEvent() throws Exception {
    HttpResponse<String> r =
        post("application/cloudevents+json; charset=utf-8", event("e1", "i-1"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(json(r).get("result").asText()).isEqualTo("accepted");
    CloudEvent e = received.get(0);
    assertThat(e.getId()).isEqualTo("e1");
    assertThat(e.getType()).isEqualTo("order.paid");
    assertThat(e.getSource()).hasToString("/shop");
    assertThat(e.getSubject()).isEqualTo("i-1");
    assertThat(JSON.readTree(e.getData().toBytes())).isEqualTo(JSON.readTree("{\"amount\":12}"));
  }

  @Test
  void binaryModeEvent() throws Exception {
    HttpResponse<String> r =
        post(
            "application/json",
            "{\"amount\":7}",
            "ce-id",
            "b1",
            "ce-type",
            "order.paid",
            "ce-source",
            "/shop",
            "ce-specversion",
            "1.0",
            "ce-subject",
            "i-2",
            "ce-region",
            "eu");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    CloudEvent e = received.get(0);
    assertThat(e.getId()).isEqualTo("b1");
    assertThat(e.getSubject()).isEqualTo("i-2");
    assertThat(e.getDataContentType()).isEqualTo("application/json");
    assertThat(e.getExtension("region")).isEqualTo("eu");
    assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"amount\":7}");
  }

  @Test
  void batchModeAnswersPerEvent() throws Exception {
    String batch =
        "[" + event("a", "i-1") + "," + event("b", "missing") + "," + event("c", "i-3") + "]";
    HttpResponse<String> r = post("application/cloudevents-batch+json", batch);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode results = json(r).get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(1).get("status").asInt()).isEqualTo(404);
    assertThat(results.get(1).get("id").asText()).isEqualTo("b");
    assertThat(results.get(2).get("status").asInt()).isEqualTo(202);
    assertThat(received).extracting(CloudEvent::getId).containsExactly("a", "c");

    HttpResponse<String> empty = post("application/cloudevents-batch+json", "[]");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(json(empty).get("results")).isEmpty();
  }

  @Test
  void unknownInstanceIs404() throws Exception {
    HttpResponse<String> r = post("application/cloudevents+json", event("x", "missing"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("result").asText()).isEqualTo("unmatched");
    assertThat(json(r).get("matched").asInt()).isZero();
    assertThat(json(r).get("error").asText())
        .contains("no instance accepts event x")
        .contains("subject missing")
        .contains("no instance waits for it");
  }

  @Test
  void theReplySaysWhichInstancesTookTheEventOrThatItIsHeld() throws Exception {
    HttpResponse<String> took = post("application/cloudevents+json", event("t", "i-7"));
    assertThat(took.statusCode()).isEqualTo(202);
    assertThat(json(took).get("matched").asInt()).isEqualTo(1);
    assertThat(json(took).get("instances").get(0).asText()).isEqualTo("i-7");
    HttpResponse<String> held = post("application/cloudevents+json", event("h", "later"));
    assertThat(held.statusCode()).isEqualTo(202);
    assertThat(json(held).get("result").asText()).isEqualTo("held");
    assertThat(json(held).get("matched").asInt()).isZero();
    assertThat(json(held).get("detail").asText()).isEqualTo("held for 1m");
    HttpResponse<String> dup = post("application/cloudevents+json", event("d", "again"));
    assertThat(dup.statusCode()).isEqualTo(202);
    assertThat(json(dup).get("result").asText()).isEqualTo("duplicate");
    assertThat(json(dup).get("instances").get(0).asText()).isEqualTo("i-1");
    assertThat(json(dup).get("detail").asText()).contains("duplicate");
    HttpResponse<String> none = post("application/cloudevents+json", event("n", "missing"));
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(get("/metrics").body())
        .contains("sluice_http_events_total{outcome=\"accepted\",shape=\"cloudevents\"} 1.0")
        .contains("sluice_http_events_total{outcome=\"held\",shape=\"cloudevents\"} 1.0")
        .contains("sluice_http_events_total{outcome=\"duplicate\",shape=\"cloudevents\"} 1.0")
        .contains("sluice_http_events_total{outcome=\"unmatched\",shape=\"cloudevents\"} 1.0");
  }

  @Test
  void failingSinkIs500AndServingGoesOn() throws Exception {
    HttpResponse<String> r = post("application/cloudevents+json", event("x", "boom"));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(json(r).get("error").asText()).contains("sink exploded");
    HttpResponse<String> late = post("application/cloudevents+json", event("z", "late-boom"));
    assertThat(late.statusCode()).isEqualTo(500);
    assertThat(json(late).get("error").asText()).contains("worker unreachable");
    assertThat(post("application/cloudevents+json", event("y", "i")).statusCode()).isEqualTo(202);
    assertThat(get("/metrics").body())
        .contains("sluice_http_events_total{outcome=\"failed\",shape=\"cloudevents\"} 2.0")
        .contains("sluice_http_events_total{outcome=\"accepted\",shape=\"cloudevents\"} 1.0");
  }

  @Test
  void malformedEventsAre400WithWhatIsWrong() throws Exception {
    String ce = "application/cloudevents+json";
    assertBad(post(ce, "{\"id\": "), "malformed JSON in the body at line 1, column 8");
    assertBad(
        post(ce, "{\n \"id\": \"a\",\n \"type\" \"t\"}"),
        "malformed JSON in the body at line 3, column 9: Unexpected character");
    assertBad(post(ce, ""), "the body is empty");
    assertBad(
        post(ce, "{\"type\":\"t\",\"specversion\":\"1.0\"}"),
        "missing required attributes (non-empty strings): id, source");
    assertBad(post(ce, "[1]"), "a CloudEvent must be a JSON object, got array");
    assertBad(
        post(ce, "{\"id\":\"1\",\"type\":\"t\",\"source\":\"/s\",\"specversion\":\"9.9\"}"),
        "unsupported specversion '9.9': this endpoint reads CloudEvents 1.0");
    assertBad(
        post(
            ce,
            "{\"id\":\"1\",\"type\":\"t\",\"source\":\"/s\",\"specversion\":\"1.0\","
                + "\"time\":\"noon\"}"),
        "invalid CloudEvent:");
    assertBad(
        post("application/json", "{}", "ce-id", "1", "ce-type", "t"),
        "binary-mode CloudEvent is missing required headers: ce-source, ce-specversion");
    assertBad(
        post(
            "application/json",
            "{}",
            "ce-id",
            "1",
            "ce-type",
            "t",
            "ce-source",
            "/s",
            "ce-specversion",
            "0.3"),
        "binary-mode CloudEvent: unsupported ce-specversion '0.3'");
    assertBad(
        post("application/json", "{}"),
        "not a CloudEvent and not a platform event: send structured mode");
    assertBad(
        post("application/json", "{\"specversion\":\"1.0\"}"),
        "this looks like a structured CloudEvent: send it with Content-Type:"
            + " application/cloudevents+json");
    assertBad(post("text/plain", "hello"), "not a CloudEvent and not a platform event");
    assertBad(
        post(
            "text/plain",
            "x",
            "ce-id",
            "1",
            "ce-type",
            "t",
            "ce-source",
            "/s",
            "ce-specversion",
            "1.0",
            "ce-time",
            "yesterday"),
        "invalid binary-mode CloudEvent");
    assertBad(
        post("application/cloudevents-batch+json", "{}"),
        "a batch (application/cloudevents-batch+json) must be a JSON array of events, got object");
    assertBad(
        post("application/cloudevents-batch+json", "[" + event("a", "i") + ",{\"id\":\"b\"}]"),
        "event 1 of the batch: CloudEvent is missing required attributes (non-empty"
            + " strings): type, source, specversion");
    assertBad(
        post("application/cloudevents-batch+json", "[" + event("a", "i") + ",\n{\"id\":}]"),
        "malformed JSON in the batch at line 3, column 7");
    assertThat(received).as("nothing of a malformed request is delivered").isEmpty();
    HttpResponse<String> xml = post("application/cloudevents+xml", "<e/>");
    assertThat(xml.statusCode()).isEqualTo(415);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").body())
        .contains("sluice_http_events_rejected_total{status=\"400\"}");
  }

  private static void assertBad(HttpResponse<String> response, String message) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains(message);
  }

  @Test
  void oversizedBodyIs413AndServingGoesOn() throws Exception {
    String big = "[" + event("a", "x".repeat(LIMIT)) + "]";
    HttpResponse<String> r = post("application/cloudevents-batch+json", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText())
        .contains("request body of " + big.length() + " bytes is larger than")
        .contains("limit of " + LIMIT + " bytes");
    assertThat(post("application/cloudevents+json", event("ok", "i")).statusCode()).isEqualTo(202);
    assertThat(received).extracting(CloudEvent::getId).containsExactly("ok");
  }

  @Test
  void unknownPathsAndMethods() throws Exception {
    HttpResponse<String> nf = get("/nope");
    assertThat(nf.statusCode()).isEqualTo(404);
    assertThat(nf.body()).contains("GET /health, GET /metrics, POST /events");
    HttpResponse<String> wrong = get("/events");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.body()).contains("/events accepts only POST (and OPTIONS), not GET");
    assertThat(wrong.headers().firstValue("allow")).contains("POST, OPTIONS");
    HttpResponse<String> postHealth =
        client.send(
            HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(postHealth.statusCode()).isEqualTo(405);
    assertThat(postHealth.body()).contains("/health accepts only GET, not POST");
    assertThat(get("/events/aws-s3/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void garbageOnTheWireIs400AndServingGoesOn() throws Exception {
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      OutputStream out = s.getOutputStream();
      out.write("NOT HTTP AT ALL \u0001\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 400");
    }
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void eventLoopThreadsAreDaemons() {
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("sluice-http"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }

  @Test
  void closeReleasesThePortAndABusyPortIsNamed() throws Exception {
    int port = endpoint.port();
    HttpEndpointOptions same =
        HttpEndpointOptions.of("127.0.0.1", port, health::get, metrics, this::sink);
    assertThatThrownBy(() -> HttpEndpoint.start(same))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot serve HTTP on 127.0.0.1:" + port);
    endpoint.close();
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
    endpoint = HttpEndpoint.start(same);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }
}

package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's connection handling with a sink that answers late: the I/O threads stay free,
 * pipelined replies keep request order, keep-alive and close are honoured, slow sinks time out, and
 * bodies over the limit are refused in every way a client can send them.
 */
class HttpEndpointConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int LIMIT = 16 * 1024;

  private final HttpClient client = HttpClient.newHttpClient();

  /** Events the sink was called with, in call order, with the thread it was called on. */
  private final List<CloudEvent> seen = new CopyOnWriteArrayList<>();

  private final List<String> sinkThreads = new CopyOnWriteArrayList<>();

  /** The stages of held events (subject "hold"), by event id, completed by the test. */
  private final Map<String, CompletableFuture<EventReceipt>> held = new ConcurrentHashMap<>();

  private PrometheusMeterRegistry metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    endpoint = start(Duration.ofSeconds(30));
  }

  private HttpEndpoint start(Duration deliveryTimeout) {
    return HttpEndpoint.start(
        HttpEndpointOptions.of(
                "127.0.0.1", 0, () -> HealthReport.ok("master", "master"), metrics, this::sink)
            .withMaxBodyBytes(LIMIT)
            .withDeliveryTimeout(deliveryTimeout));
  }

  @AfterEach
  void stop() {
    held.values().forEach(f -> f.complete(receipt(false)));
    endpoint.close();
    metrics.close();
  }

  private CompletionStage<EventReceipt> sink(CloudEvent event) {
    seen.add(event);
    sinkThreads.add(Thread.currentThread().getName());
    if ("hold".equals(event.getSubject())) {
      return held.computeIfAbsent(event.getId(), id -> new CompletableFuture<>());
    }
    return CompletableFuture.completedFuture(receipt(true));
  }

  /** Taken by instance "i", or matching nothing. */
  private static EventReceipt receipt(boolean taken) {
    return taken
        ? EventReceipt.matched(List.of("i"))
        : EventReceipt.unmatched("released unmatched");
  }

  private static String event(String id, String subject) {
    return "{\"specversion\":\"1.0\",\"id\":\"%s\",\"type\":\"t\",\"source\":\"/s\",\"subject\":\"%s\"}"
        .formatted(id, subject);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + endpoint.port() + path);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String contentType, String body) {
    return client.sendAsync(
        HttpRequest.newBuilder(uri("/events"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitSeen(int count) {
    await().atMost(WAIT).until(() -> seen.size() >= count);
  }

  private void release(String id, boolean taken) {
    await().atMost(WAIT).until(() -> held.containsKey(id));
    held.get(id).complete(receipt(taken));
  }

  @Test
  void deliveriesInProgressDoNotHoldTheIoThreads() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // more than the endpoint's two I/O threads
      posts.add(postAsync(CloudEventRequests.STRUCTURED, event("e" + i, "hold")));
    }
    awaitSeen(6);
    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(uri("/health")).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(posts).noneMatch(CompletableFuture::isDone);
    assertThat(sinkThreads).allMatch(t -> t.startsWith("sluice-http"));

    for (int i = 0; i < 6; i++) {
      release("e" + i, i % 2 == 0);
    }
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = posts.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(i % 2 == 0 ? 202 : 404);
      assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo("e" + i);
    }
  }

  @Test
  void pipelinedRepliesKeepTheOrderOfTheRequests() throws Exception {
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          (RawHttp.post("/events", CloudEventRequests.STRUCTURED, event("A", "hold"))
                  + RawHttp.get("/health")
                  + RawHttp.post("/events", CloudEventRequests.STRUCTURED, event("C", "now")))
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      awaitSeen(2); // C was delivered: every request was read, the replies wait for A's
      InputStream in = s.getInputStream();
      s.setSoTimeout(300);
      assertThatThrownBy(in::read)
          .as("nothing is written before the first request's reply")
          .isInstanceOf(SocketTimeoutException.class);
      s.setSoTimeout((int) WAIT.toMillis());

      release("A", true);
      RawHttp.Response a = RawHttp.read(in);
      RawHttp.Response health = RawHttp.read(in);
      RawHttp.Response c = RawHttp.read(in);
      assertThat(a.status()).isEqualTo(202);
      assertThat(JSON.readTree(a.body()).get("id").asText()).isEqualTo("A");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).contains("\"role\":\"master\"");
      assertThat(c.status()).isEqualTo(202);
      assertThat(JSON.readTree(c.body()).get("id").asText()).isEqualTo("C");
      assertThat(c.headers().get("connection")).isEqualTo("keep-alive");
    }
  }

  @Test
  void manyPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
    int n = ReplyQueue.MAX_IN_FLIGHT + 8; // past the point where the connection stops reading
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < n; i++) {
      requests.append(
          RawHttp.post("/events", CloudEventRequests.STRUCTURED, event("p" + i, "hold")));
    }
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream().write(requests.toString().getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      for (int i = n - 1; i >= 0; i--) { // answered last to first, the replies still go in order
        if (i == n - 1) {
          awaitSeen(1);
        }
        CompletableFuture<EventReceipt> f =
            held.computeIfAbsent("p" + i, id -> new CompletableFuture<>());
        f.complete(receipt(true));
      }
      for (int i = 0; i < n; i++) {
        RawHttp.Response r = RawHttp.read(s.getInputStream());
        assertThat(r.status()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo("p" + i);
      }
    }
    assertThat(seen).hasSize(n);
  }

  @Test
  void connectionCloseEndsTheConnectionAfterThatReply() throws Exception {
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(
          (RawHttp.post(
                      "/events",
                      CloudEventRequests.STRUCTURED,
                      event("X", "hold"),
                      "Connection: close")
                  + RawHttp.get("/health"))
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      release("X", true);
      RawHttp.Response r = RawHttp.read(s.getInputStream());
      assertThat(r.status()).isEqualTo(202);
      assertThat(r.headers().get("connection")).isEqualTo("close");
      assertThat(s.getInputStream().read()).as("the pipelined request after close").isEqualTo(-1);
    }
  }

  @Test
  void aBatchIsDeliveredInOrderOneEventAfterTheOther() throws Exception {
    String batch =
        "[" + event("b1", "hold") + "," + event("b2", "hold") + "," + event("b3", "now") + "]";
    CompletableFuture<HttpResponse<String>> post = postAsync(CloudEventRequests.BATCH, batch);
    awaitSeen(1);
    release("b1", true);
    awaitSeen(2);
    assertThat(seen).extracting(CloudEvent::getId).containsExactly("b1", "b2");
    release("b2", false);
    HttpResponse<String> r = post.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode results = JSON.readTree(r.body()).get("results");
    assertThat(results).extracting(n -> n.get("status").asInt()).containsExactly(202, 404, 202);
    assertThat(seen).extracting(CloudEvent::getId).containsExactly("b1", "b2", "b3");
  }

  @Test
  void aSinkThatDoesNotAnswerIs504AfterTheDeliveryTimeout() throws Exception {
    endpoint.close();
    endpoint = start(Duration.ofMillis(300));
    HttpResponse<String> r =
        postAsync(CloudEventRequests.STRUCTURED, event("slow", "hold"))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .contains("did not answer within 300 ms");
    assertThat(held.get("slow")).as("the sink's own stage is left alone").isNotDone();
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(uri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .contains("sluice_http_events_total{outcome=\"timeout\",shape=\"cloudevents\"} 1.0");
  }

  @Test
  void aChunkedBodyOverTheLimitIs413AndTheConnectionCloses() throws Exception {
    byte[] big = ("[" + event("big", "x".repeat(LIMIT)) + "]").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(uri("/events"))
                .header("Content-Type", CloudEventRequests.BATCH)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .contains("request body (chunked) grew larger than this endpoint's limit of " + LIMIT);
    assertThat(r.headers().firstValue("connection")).contains("close");
    assertThat(seen).isEmpty();
  }

  @Test
  void aClientWaitingFor100ContinueGets413WithTheSizeAtOnce() throws Exception {
    long size = 10L * LIMIT;
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream()
          .write(
              ("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      + CloudEventRequests.BATCH
                      + "\r\nContent-Length: "
                      + size
                      + "\r\nExpect: 100-continue\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      RawHttp.Response r = RawHttp.read(s.getInputStream()); // no body was sent
      assertThat(r.status()).isEqualTo(413);
      assertThat(JSON.readTree(r.body()).get("error").asText())
          .contains("request body of " + size + " bytes is larger than")
          .contains("limit of " + LIMIT + " bytes");
      s.getOutputStream().write(RawHttp.get("/health").getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(s.getInputStream()).status())
          .as("the connection serves on")
          .isEqualTo(200);
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void an413TakesItsTurnAmongPipelinedReplies() throws Exception {
    String big = "[" + event("big", "x".repeat(LIMIT)) + "]";
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream()
          .write(
              (RawHttp.post("/events", CloudEventRequests.STRUCTURED, event("first", "hold"))
                      + RawHttp.post("/events", CloudEventRequests.BATCH, big)
                      + RawHttp.get("/health"))
                  .getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      release("first", true);
      InputStream in = s.getInputStream();
      assertThat(RawHttp.read(in).status()).isEqualTo(202);
      RawHttp.Response tooLarge = RawHttp.read(in);
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.body()).contains("of " + big.length() + " bytes");
      assertThat(RawHttp.read(in).status()).as("the connection serves on").isEqualTo(200);
    }
  }
}

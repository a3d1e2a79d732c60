package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint's extra GET routes: answered, later ones in order, unknown paths 404. */
class HttpRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final CompletableFuture<HttpAnswer> slow = new CompletableFuture<>();
  private PrometheusMeterRegistry metrics;
  private HttpEndpoint endpoint;

  private CompletionStage<HttpAnswer> routes(String path, Map<String, List<String>> query) {
    return switch (path) {
      case "/api/echo" ->
          CompletableFuture.completedFuture(
              HttpAnswer.json(200, JSON.createObjectNode().put("q", query.get("q").get(0))));
      case "/api/slow" -> slow;
      case "/api/bad" -> CompletableFuture.completedFuture(HttpAnswer.error(400, "bad q"));
      default -> null;
    };
  }

  @BeforeEach
  void start() {
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    endpoint =
        HttpEndpoint.start(
            HttpEndpointOptions.of(
                    "127.0.0.1",
                    0,
                    () -> HealthReport.ok("master", "m"),
                    metrics,
                    e -> CompletableFuture.completedFuture(EventReceipt.unmatched("none")))
                .withRoutes(this::routes));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesAnswerAndUnknownPathsAre404() throws Exception {
    HttpResponse<String> echo = get("/api/echo?q=a%20b");
    assertThat(echo.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(echo.body()).get("q").asText()).isEqualTo("a b");
    assertThat(echo.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(get("/api/bad").statusCode()).isEqualTo(400);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aSlowRouteIsAnsweredWhenItsStageCompletes() throws Exception {
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/api/slow"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // the I/O threads are free meanwhile: another request on another connection is answered
    assertThat(get("/api/echo?q=x").statusCode()).isEqualTo(200);
    assertThat(pending).isNotDone();
    slow.complete(HttpAnswer.text(200, "text/plain", "done"));
    assertThat(pending.get().body()).isEqualTo("done");
  }
}

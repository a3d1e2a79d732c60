package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the wire fuzzer found answered as the server's fault: a bad %-escape in the query (was
 * 500 with the exception and a WARN stack trace) and a request the HTTP decoder rejects (a 400
 * whose message carried the Java exception's class name).
 */
class HttpEndpointMalformedTest {
  private PrometheusMeterRegistry metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() {
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    endpoint =
        HttpEndpoint.start(
            HttpEndpointOptions.of(
                "127.0.0.1", 0, () -> HealthReport.ok("master", "master"), metrics, this::sink));
  }

  private CompletionStage<EventReceipt> sink(CloudEvent event) {
    return CompletableFuture.failedFuture(new AssertionError("no event should be delivered"));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private RawHttp.Response send(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return RawHttp.read(s.getInputStream());
    }
  }

  @Test
  void aBadEscapeInTheQueryIsABadRequest() throws Exception {
    RawHttp.Response r =
        send(RawHttp.post("/events?shape=%zz", CloudEventRequests.STRUCTURED, "{}"));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("malformed request URI").contains("%zz");
  }

  @Test
  void aRequestTheDecoderRejectsIsABadRequestInPlainWords() throws Exception {
    RawHttp.Response r =
        send(
            "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + CloudEventRequests.STRUCTURED
                + "\r\nContent-Length: -5\r\n\r\n");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("malformed HTTP request: Content-Length").doesNotContain("java.");
  }
}

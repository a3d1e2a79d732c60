package io.sluice.http;

import io.cloudevents.CloudEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How an {@link HttpEndpoint} is set up; checked when built.
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free one ({@link HttpEndpoint#port()} tells which)
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param health decides what {@code GET /health} answers; called on each request
 * @param metrics what {@code GET /metrics} exposes
 * @param events receives each event of {@code POST /events} and says what became of it ({@link
 *     EventReceipt}; matched nothing: 404). Called on an I/O thread: it must not block.
 */
public record HttpEndpointOptions(
    String host,
    int port,
    int maxBodyBytes,
    Supplier<HealthReport> health,
    PrometheusMeterRegistry metrics,
    Function<CloudEvent, EventReceipt> events) {
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

  public HttpEndpointOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("HTTP endpoint host must not be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("HTTP endpoint port must be in 0..65535, got " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("HTTP endpoint maxBodyBytes must be >= 1");
    }
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(events, "events");
  }

  /** Options with the default body limit. */
  public static HttpEndpointOptions of(
      String host,
      int port,
      Supplier<HealthReport> health,
      PrometheusMeterRegistry metrics,
      Function<CloudEvent, EventReceipt> events) {
    return new HttpEndpointOptions(host, port, DEFAULT_MAX_BODY_BYTES, health, metrics, events);
  }

  public HttpEndpointOptions withMaxBodyBytes(int bytes) {
    return new HttpEndpointOptions(host, port, bytes, health, metrics, events);
  }
}

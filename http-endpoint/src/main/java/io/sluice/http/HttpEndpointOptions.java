package io.sluice.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How an {@link HttpEndpoint} is set up; checked when built.
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free one ({@link HttpEndpoint#port()} tells which)
 * @param maxBodyBytes larger request bodies are refused with 413
 * @param health decides what {@code GET /health} answers; called on each request
 * @param metrics what {@code GET /metrics} exposes; the endpoint adds its event counters to it
 * @param events receives each event of {@code POST /events}; called on an I/O thread, it must not
 *     block (see {@link EventSink})
 * @param deliveryTimeout how long one event's delivery may take before it is answered 504
 * @param routes further GET routes (the master's JSON API); {@link HttpRoutes#NONE} for none
 * @param guard checks {@code /metrics}, {@code /events} and the routes' requests before they are
 *     served ({@link HttpGuard#OPEN} when built with null)
 * @param tls the certificate chain and private key (PEM files) to serve HTTPS with, or null for
 *     plain HTTP
 */
public record HttpEndpointOptions(
    String host,
    int port,
    int maxBodyBytes,
    Supplier<HealthReport> health,
    PrometheusMeterRegistry metrics,
    EventSink events,
    Duration deliveryTimeout,
    HttpRoutes routes,
    HttpGuard guard,
    Tls tls) {
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  public HttpEndpointOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("HTTP endpoint host must not be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("HTTP endpoint port must be in 0..65535, got " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "HTTP endpoint maxBodyBytes must be >= 1, got " + maxBodyBytes);
    }
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(routes, "routes");
    guard = guard == null ? HttpGuard.OPEN : guard;
    if (deliveryTimeout == null || deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
      throw new IllegalArgumentException(
          "HTTP endpoint deliveryTimeout must be positive, got " + deliveryTimeout);
    }
  }

  /** Options with the default body limit and delivery timeout. */
  public static HttpEndpointOptions of(
      String host,
      int port,
      Supplier<HealthReport> health,
      PrometheusMeterRegistry metrics,
      EventSink events) {
    return new HttpEndpointOptions(
        host,
        port,
        DEFAULT_MAX_BODY_BYTES,
        health,
        metrics,
        events,
        DEFAULT_DELIVERY_TIMEOUT,
        HttpRoutes.NONE,
        HttpGuard.OPEN,
        null);
  }

  public HttpEndpointOptions withMaxBodyBytes(int bytes) {
    return new HttpEndpointOptions(
        host, port, bytes, health, metrics, events, deliveryTimeout, routes, guard, tls);
  }

  public HttpEndpointOptions withDeliveryTimeout(Duration timeout) {
    return new HttpEndpointOptions(
        host, port, maxBodyBytes, health, metrics, events, timeout, routes, guard, tls);
  }

  /** Options that also serve {@code r}'s GET routes. */
  public HttpEndpointOptions withRoutes(HttpRoutes r) {
    return new HttpEndpointOptions(
        host, port, maxBodyBytes, health, metrics, events, deliveryTimeout, r, guard, tls);
  }

  /** Options whose {@code /events} and routes are checked by {@code g} first. */
  public HttpEndpointOptions withGuard(HttpGuard g) {
    return new HttpEndpointOptions(
        host, port, maxBodyBytes, health, metrics, events, deliveryTimeout, routes, g, tls);
  }

  /** Options that serve HTTPS with {@code t}'s certificate and key. */
  public HttpEndpointOptions withTls(Tls t) {
    return new HttpEndpointOptions(
        host, port, maxBodyBytes, health, metrics, events, deliveryTimeout, routes, guard, t);
  }

  /** Whether the endpoint serves HTTPS. */
  public boolean secure() {
    return tls != null;
  }

  /**
   * The key material of an HTTPS endpoint (security.tls: the component's {@code N.crt} and {@code
   * N.key}).
   *
   * @param certificate the certificate chain, PEM
   * @param privateKey its private key, PKCS#8 PEM
   */
  public record Tls(java.nio.file.Path certificate, java.nio.file.Path privateKey) {
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }
}

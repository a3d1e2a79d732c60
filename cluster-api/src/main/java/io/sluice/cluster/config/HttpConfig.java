package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code http:} section: limits of every process's HTTP endpoint ({@code POST /events}).
 *
 * @param maxBodyBytes request bodies larger than this are answered 413
 * @param deliveryTimeout how long one event's delivery may take before it is answered 504
 */
public record HttpConfig(long maxBodyBytes, Duration deliveryTimeout) {
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  /** The largest body the endpoint can hold in memory (one Netty buffer). */
  public static final long MAX_BODY_BYTES = Integer.MAX_VALUE;

  public static final HttpConfig DEFAULT =
      new HttpConfig(DEFAULT_MAX_BODY_BYTES, DEFAULT_DELIVERY_TIMEOUT);

  public HttpConfig {
    if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "http maxBodySize must be 1 byte .. 2 GiB - 1, got " + maxBodyBytes);
    }
    Objects.requireNonNull(deliveryTimeout, "http deliveryTimeout");
    if (deliveryTimeout.isZero() || deliveryTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "http deliveryTimeout must be positive, got " + deliveryTimeout);
    }
  }
}

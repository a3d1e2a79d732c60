package io.sluice.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a failed node is tried again: up to {@code maxAttempts} attempts in all, waiting {@code
 * initialBackoff * multiplier^(attempt-1)} (capped at {@code maxBackoff}) between them, spread by
 * +/- {@code jitter} (a fraction, 0..1). Only errors whose type is in {@code retryOn} are retried;
 * an empty list retries every retryable error.
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter,
    List<String> retryOn) {

  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0.0, List.of());

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    retryOn = List.copyOf(retryOn);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("retry multiplier must be >= 1, got " + multiplier);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("retry jitter must be in [0,1], got " + jitter);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("retry backoff must not be negative");
    }
  }

  public static RetryPolicy of(int maxAttempts, Duration initialBackoff) {
    return new RetryPolicy(
        maxAttempts, initialBackoff, 2.0, initialBackoff.multipliedBy(64), 0.0, List.of());
  }

  /** Whether an error of this type may be retried under this policy. */
  public boolean retries(String errorType) {
    return retryOn.isEmpty() || retryOn.contains(errorType);
  }

  /**
   * The delay before attempt {@code nextAttempt} (2 = first retry), without jitter applied; the
   * caller applies jitter with its own random source so this stays a pure function.
   */
  public Duration backoffBefore(int nextAttempt) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    long capped = maxBackoff.isZero() ? (long) nanos : Math.min((long) nanos, maxBackoff.toNanos());
    return Duration.ofNanos(Math.max(0, capped));
  }
}

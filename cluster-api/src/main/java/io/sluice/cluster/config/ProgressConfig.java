package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code progress:} section: how workers report their nodes' steps (started, completed, …) to
 * the master. A worker queues each step in a bounded buffer and sends what it holds every {@code
 * interval} (sooner when a batch is full), one call at a time; steps that find the buffer full are
 * dropped and counted (the master sees the count). {@code progress: off} sends nothing.
 *
 * @param enabled whether workers report at all
 * @param interval how often a worker sends what it holds
 * @param buffer the most steps a worker holds (queued and not yet acknowledged)
 */
public record ProgressConfig(boolean enabled, Duration interval, int buffer) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
  public static final int DEFAULT_BUFFER = 10_000;

  public static final ProgressConfig DEFAULT =
      new ProgressConfig(true, DEFAULT_INTERVAL, DEFAULT_BUFFER);
  public static final ProgressConfig OFF =
      new ProgressConfig(false, DEFAULT_INTERVAL, DEFAULT_BUFFER);

  public ProgressConfig {
    Objects.requireNonNull(interval, "progress interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("progress interval must be positive, got " + interval);
    }
    if (buffer < 1) {
      throw new IllegalArgumentException("progress buffer must be >= 1, got " + buffer);
    }
  }
}

package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How workers heartbeat: every {@code interval}; the master declares a worker dead after {@code
 * missedAllowed} intervals pass without one.
 */
public record HeartbeatConfig(Duration interval, int missedAllowed) {
  public static final HeartbeatConfig DEFAULT = new HeartbeatConfig(Duration.ofMillis(500), 4);

  public HeartbeatConfig {
    Objects.requireNonNull(interval, "heartbeat interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
    }
    if (missedAllowed < 1) {
      throw new IllegalArgumentException(
          "heartbeat missedAllowed must be >= 1, got " + missedAllowed);
    }
  }

  /** How long after the last heartbeat a worker is declared dead. */
  public Duration deadAfter() {
    return interval.multipliedBy(missedAllowed);
  }
}

package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the master treats events that name no instance and match no started event wait yet (the
 * {@code events:} section, docs/configuration.md): it holds up to {@code maxHeldPerType} of them
 * per event type (only types a registered workflow waits for), each for {@code holdFor}, for a wait
 * that starts later; and it remembers the last {@code rememberIds} routed events (source and id) so
 * a redelivered event is reported as a duplicate and not routed twice.
 */
public record EventsConfig(Duration holdFor, int maxHeldPerType, int rememberIds) {
  public static final EventsConfig DEFAULT = new EventsConfig(Duration.ofMinutes(1), 1000, 10_000);

  public EventsConfig {
    Objects.requireNonNull(holdFor, "holdFor");
    if (holdFor.isZero() || holdFor.isNegative()) {
      throw new IllegalArgumentException("events holdFor must be positive, got " + holdFor);
    }
    if (maxHeldPerType < 0 || rememberIds < 0) {
      throw new IllegalArgumentException("events maxHeldPerType and rememberIds must be >= 0");
    }
  }
}

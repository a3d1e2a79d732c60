package io.sluice.engine.events;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router keeps events that name no instance and match no wait yet (the held-events rule for
 * correlated events): per event type, at most {@code maxPerType}, each for at most {@code ttl};
 * only types some deployed workflow waits for are held. It also remembers the last {@code
 * rememberedIds} routed events (source and id) so a redelivered event is not routed twice.
 *
 * @param maxPerType events held per event type; 0 holds none
 * @param ttl how long an event is held; then it is counted as unmatched (and a source that asked is
 *     told, e.g. to dead-letter it)
 * @param rememberedIds routed event ids remembered for de-duplication; 0 remembers none
 */
public record EventHolding(int maxPerType, Duration ttl, int rememberedIds) {
  public static final EventHolding DEFAULT = new EventHolding(1000, Duration.ofMinutes(1), 10_000);

  /** No holding and no de-duplication: for engines whose router holds (a worker, MasterSP). */
  public static final EventHolding NONE = new EventHolding(0, Duration.ofSeconds(1), 0);

  public EventHolding {
    Objects.requireNonNull(ttl, "ttl");
    if (maxPerType < 0 || rememberedIds < 0) {
      throw new IllegalArgumentException("maxPerType and rememberedIds must be >= 0");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the hold time must be positive, got " + ttl);
    }
  }
}

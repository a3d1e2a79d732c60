package io.sluice.master.events;

import io.sluice.engine.events.EventOutcome;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the master's event routing did, by outcome, since it started (the master's {@code /metrics}:
 * {@code sluice_events_routed_total{outcome=...}}).
 */
public final class EventCounters {
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong duplicate = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();

  void count(EventOutcome o) {
    switch (o.kind()) {
      case "matched" -> matched.incrementAndGet();
      case "held" -> held.incrementAndGet();
      case "duplicate" -> duplicate.incrementAndGet();
      default -> unmatched.incrementAndGet();
    }
  }

  public long matched() {
    return matched.get();
  }

  public long held() {
    return held.get();
  }

  public long duplicate() {
    return duplicate.get();
  }

  /** Events no instance took and none held (held ones that expire are counted apart). */
  public long unmatched() {
    return unmatched.get();
  }
}

package io.sluice.master.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.engine.events.Correlator;
import io.sluice.master.source.RedisStreamSource;
import io.sluice.master.source.SourceCounters;

/**
 * The master's event figures on {@code /metrics} (docs/configuration.md, Metrics): routed events by
 * outcome, events held now, held events that expired or did not fit, and the waits indexed.
 */
public final class EventMetrics {
  private EventMetrics() {}

  public static void bind(MeterRegistry registry, EventRouting routing) {
    EventCounters c = routing.counters();
    Correlator<?> idx = routing.correlator();
    counter(registry, "matched", c, EventCounters::matched);
    counter(registry, "held", c, EventCounters::held);
    counter(registry, "duplicate", c, EventCounters::duplicate);
    counter(registry, "unmatched", c, EventCounters::unmatched);
    Gauge.builder("sluice.events.held", idx, Correlator::heldCount)
        .description("events that name no instance, held for a wait that has not started")
        .register(registry);
    Gauge.builder("sluice.events.waits", idx, Correlator::waitCount)
        .description("event waits the master indexes by type and correlation key")
        .register(registry);
    FunctionCounter.builder("sluice.events.held.expired", idx, Correlator::expiredCount)
        .description("held events whose hold time ended without a matching wait")
        .register(registry);
    FunctionCounter.builder("sluice.events.held.overflow", idx, Correlator::overflowCount)
        .description("events not held because their type held the most it may")
        .register(registry);
  }

  /** A source's counters, tagged {@code source=NAME}: {@code sluice_source_entries_*_total}. */
  public static void bindSource(MeterRegistry registry, RedisStreamSource source) {
    String name = source.config().name();
    SourceCounters c = source.counters();
    sourceCounter(registry, "read", name, c, SourceCounters::read, null);
    sourceCounter(registry, "acked", name, c, SourceCounters::acked, null);
    sourceCounter(registry, "claimed", name, c, SourceCounters::claimed, null);
    sourceCounter(registry, "failed", name, c, SourceCounters::failed, null);
    sourceCounter(registry, "dead.lettered", name, c, SourceCounters::malformed, "malformed");
    sourceCounter(registry, "dead.lettered", name, c, SourceCounters::unmatched, "unmatched");
    sourceCounter(registry, "dead.lettered", name, c, SourceCounters::expired, "expired");
  }

  private static void sourceCounter(
      MeterRegistry registry,
      String what,
      String source,
      SourceCounters c,
      java.util.function.ToDoubleFunction<SourceCounters> f,
      String reason) {
    FunctionCounter.Builder<SourceCounters> b =
        FunctionCounter.builder("sluice.source.entries." + what, c, f)
            .description("stream entries " + what.replace('.', ' ') + " by an event source")
            .tag("source", source);
    if (reason != null) {
      b.tag("reason", reason);
    }
    b.register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      String outcome,
      EventCounters c,
      java.util.function.ToDoubleFunction<EventCounters> f) {
    FunctionCounter.builder("sluice.events.routed", c, f)
        .description("external events routed by the master, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}

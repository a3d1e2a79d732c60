package io.sluice.engine.events;

import java.util.List;
import java.util.Objects;

/**
 * What became of one external event: the instances it was handed to, or that it is held for a wait
 * that has not started yet, or that it was a duplicate of one already routed; otherwise it matched
 * nothing and {@code detail} says why. Never silent: every caller reports it (the {@code /events}
 * reply, the SendEvent answer, a source's dead-letter stream) and the router counts it.
 *
 * @param instances the instances that took it (top-level ids), empty when none did
 * @param held kept by the router until a matching wait starts or its hold time ends
 * @param duplicate an event with this source and id was routed before; routed again it would change
 *     nothing, so it is not (the first outcome's instances are reported)
 * @param detail why it matched nothing, or how it was routed, for people
 */
public record EventOutcome(List<String> instances, boolean held, boolean duplicate, String detail) {
  public EventOutcome {
    instances = List.copyOf(instances);
    Objects.requireNonNull(detail, "detail");
  }

  public static EventOutcome matched(List<String> instances) {
    return new EventOutcome(instances, false, false, "delivered");
  }

  public static EventOutcome held(String detail) {
    return new EventOutcome(List.of(), true, false, detail);
  }

  public static EventOutcome unmatched(String detail) {
    return new EventOutcome(List.of(), false, false, detail);
  }

  /** This outcome reported for a repeated delivery of the same event. */
  public EventOutcome asDuplicate() {
    return new EventOutcome(instances, held, true, "duplicate of an event routed before");
  }

  /** Taken, held or a duplicate: the sender may forget it (a stream acknowledges it). */
  public boolean accepted() {
    return !instances.isEmpty() || held || duplicate;
  }

  /** {@code matched}, {@code held}, {@code duplicate} or {@code unmatched}: the metric's label. */
  public String kind() {
    if (duplicate) {
      return "duplicate";
    }
    if (!instances.isEmpty()) {
      return "matched";
    }
    return held ? "held" : "unmatched";
  }
}

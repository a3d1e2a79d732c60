package io.sluice.dsl;

import io.sluice.model.EventWaitNode;
import io.sluice.model.NodeOptions;

/** Waits for an external CloudEvent of one type, optionally correlated with the instance. */
public final class EventStep extends NodeStep<EventStep> {
  private final String eventType;
  private String correlation;

  EventStep(String id, String eventType) {
    super(id);
    this.eventType = eventType;
  }

  /**
   * Accepts only events for which this jq expression is truthy; it sees the event as {@code {id,
   * type, source, subject, data}} and the node's input as {@code $input}.
   */
  public EventStep correlate(String jq) {
    this.correlation = jq;
    return this;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new EventWaitNode(id, eventType, a.expr(correlation), options));
    return Fragment.single(id);
  }
}

package io.sluice.dsl;

import io.sluice.model.EventWaitNode;
import io.sluice.model.NodeOptions;

/** Waits for an external CloudEvent of one type, optionally correlated with the instance. */
public final class EventStep extends NodeStep<EventStep> {
  private final String eventType;
  private String correlation;
  private String keyExtension;
  private String keyValue;

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

  /**
   * Takes events that name no instance when their subject equals the text of {@code jq}, evaluated
   * over the node's input when the wait starts (the routing key; docs/definition-format.md).
   */
  public EventStep correlateBySubject(String jq) {
    this.keyExtension = null;
    this.keyValue = jq;
    return this;
  }

  /** As {@link #correlateBySubject}, matching the extension attribute {@code name} instead. */
  public EventStep correlateByExtension(String name, String jq) {
    this.keyExtension = name;
    this.keyValue = jq;
    return this;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    EventWaitNode.Correlate key =
        keyValue == null ? null : new EventWaitNode.Correlate(keyExtension, a.expr(keyValue));
    a.put(new EventWaitNode(id, eventType, a.expr(correlation), key, options));
    return Fragment.single(id);
  }
}

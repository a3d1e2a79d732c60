package io.sluice.model;

import java.util.Objects;

/**
 * Waits for an external CloudEvent of type {@code eventType} delivered to the instance, whose
 * {@code correlation} (jq over the event as {@code {id, type, source, subject, data}}, with {@code
 * $input} the node's input; null = any) is truthy. The node's output is the event's data. The
 * node's timeout, if any, fails it with error type {@code Timeout}.
 */
public record EventWaitNode(String id, String eventType, Expr correlation, NodeOptions options)
    implements Node {
  public EventWaitNode {
    Ids.check(id);
    Objects.requireNonNull(eventType, "eventType");
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "event";
  }

  @Override
  public EventWaitNode withOptions(NodeOptions o) {
    return new EventWaitNode(id, eventType, correlation, o);
  }
}

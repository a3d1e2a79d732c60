package io.sluice.cluster.api;

/** CloudEvent types the engine emits and understands. External events may have any other type. */
public final class EventTypes {
  private EventTypes() {}

  public static final String INSTANCE_STARTED = "sluice.instance.started";
  public static final String INSTANCE_COMPLETED = "sluice.instance.completed";
  public static final String INSTANCE_FAILED = "sluice.instance.failed";
  public static final String INSTANCE_CANCELLED = "sluice.instance.cancelled";
  public static final String NODE_COMPLETED = "sluice.node.completed";
  public static final String NODE_FAILED = "sluice.node.failed";
  public static final String NODE_SKIPPED = "sluice.node.skipped";
  public static final String NODE_RETRY = "sluice.node.retry";
  public static final String TIMER_FIRED = "sluice.timer.fired";
  public static final String TIMEOUT = "sluice.node.timeout";
  public static final String CHILD_FINISHED = "sluice.child.finished";
  public static final String EDGE_RESOLVED = "sluice.edge.resolved";
  public static final String NODE_EXPORTED = "sluice.node.exported";

  /** The CloudEvents source of events the engine makes. */
  public static final String SOURCE = "sluice://engine";
}

package io.sluice.engine.internal;

/**
 * The states of one node in one instance, stored as its ordinal (a byte per node). The transitions
 * between them are {@link NodeMachine#TABLE}.
 */
enum NodeState {
  /** Waiting for its incoming edges to decide its join. */
  WAITING,
  /** Its join holds: queued to fire. */
  READY,
  /** An attempt is under way (a call, a timer, an event wait, children, an export). */
  RUNNING,
  /** An attempt failed with a retryable error: waiting for the backoff to pass. */
  RETRY_WAIT,
  /** Done with a result; its edges resolved. */
  COMPLETED,
  /** Done with an error: routed to a catcher, or the instance failed. */
  FAILED,
  /** Its join can no longer hold: queued to be skipped. */
  SKIPPING,
  /** Skipped; its edges resolved as skipped. */
  SKIPPED;

  static final byte WAITING_ORDINAL = (byte) WAITING.ordinal();
  static final byte RUNNING_ORDINAL = (byte) RUNNING.ordinal();
  static final byte RETRY_WAIT_ORDINAL = (byte) RETRY_WAIT.ordinal();
}

package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;

/**
 * An event in an instance's mailbox and history: the in-process form of a CloudEvent (converted by
 * {@link CloudEvents} at the edges). Internal events carry the dense node index so dispatch needs
 * no lookup; their ids are derived from instance, node, attempt and kind, so a redelivered event
 * has the same id.
 *
 * @param kind what happened
 * @param node the node's index in its workflow, or -1
 * @param attempt the node's attempt
 * @param index for CHILD_DONE: which child (map item, loop round)
 * @param payload a node's result, an error object, or an external event's data
 * @param error for failures: why
 * @param external for external events: the CloudEvent as delivered
 * @param timeMillis when it happened (scheduler wall time)
 * @param computeNanos for COMPLETED, FAILED and CHILD_DONE: the compute time it reports (a call's
 *     function time, a child's critical path); for EDGE from another worker: the compute on the
 *     critical path through the edge's source (see {@link CriticalPath})
 * @param dataNanos the same for data time: an export's or a fetch's duration, or a path's data time
 */
record TriggerEvent(
    Kind kind,
    int node,
    int attempt,
    int index,
    JsonNode payload,
    ErrorInfo error,
    CloudEvent external,
    long timeMillis,
    long computeNanos,
    long dataNanos) {

  TriggerEvent(
      Kind kind,
      int node,
      int attempt,
      int index,
      JsonNode payload,
      ErrorInfo error,
      CloudEvent external,
      long timeMillis) {
    this(kind, node, attempt, index, payload, error, external, timeMillis, 0, 0);
  }

  enum Kind {
    STARTED,
    COMPLETED,
    FAILED,
    SKIPPED,
    RETRY,
    TIMER,
    TIMEOUT,
    CHILD_DONE,
    EDGE,
    EXPORTED,
    ABORT,
    EXTERNAL,
    CANCEL,
    INSTANCE_COMPLETED,
    INSTANCE_FAILED,
    INSTANCE_CANCELLED
  }

  /** An error as data: its type (what retry and catch match), message and retryability. */
  /**
   * A failed attempt: its type, message, whether it may be retried, and the least wait before the
   * next attempt that the failing side asked for (an HTTP {@code Retry-After}; 0 for none).
   */
  record ErrorInfo(String type, String message, boolean retryable, long retryAfterNanos) {
    ErrorInfo(String type, String message, boolean retryable) {
      this(type, message, retryable, 0);
    }
  }

  static TriggerEvent of(Kind kind, int node, int attempt, JsonNode payload, long now) {
    return new TriggerEvent(kind, node, attempt, 0, payload, null, null, now);
  }

  static TriggerEvent failed(int node, int attempt, ErrorInfo error, long now) {
    return new TriggerEvent(Kind.FAILED, node, attempt, 0, null, error, null, now);
  }

  static TriggerEvent external(int node, int attempt, CloudEvent event, long now) {
    return new TriggerEvent(Kind.EXTERNAL, node, attempt, 0, null, null, event, now);
  }

  /** The event's id: the external event's own id, else derived deterministically. */
  String id(String instanceId, CompiledWorkflow wf) {
    if (external != null) {
      return external.getId();
    }
    if (kind == Kind.EDGE) {
      return instanceId + "/edge/" + node;
    }
    String nodeId = node >= 0 ? wf.triggers[node].nodeId : "-";
    String suffix = kind == Kind.CHILD_DONE ? "/" + index : "";
    return instanceId
        + "/"
        + nodeId
        + "/"
        + attempt
        + suffix
        + "/"
        + kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}

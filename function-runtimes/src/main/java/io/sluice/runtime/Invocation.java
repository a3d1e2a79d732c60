package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;

/**
 * One call of a function.
 *
 * @param function the function and its runtime settings
 * @param input the function's input
 * @param deadlineNanos the {@link io.sluice.time.Scheduler#nanoTime()} by which it must finish, or
 *     {@link Long#MAX_VALUE} for none; a runtime that can stop work (a process, a request) stops it
 *     then and fails with type {@link FunctionException#TIMEOUT}
 * @param instanceId the workflow instance
 * @param nodeId the graph node
 * @param attempt 1 for the first attempt, 2 for the first retry...
 * @param hints the node's hints (the synthetic runtime's whole behaviour)
 * @param callTime where a runtime that runs the function elsewhere reports its time, or null
 * @param key the call's idempotency keys ({@link CallKey}); null gives the keys of a top-level node
 *     of root instance {@code instanceId}
 */
public record Invocation(
    FunctionDef function,
    JsonNode input,
    long deadlineNanos,
    String instanceId,
    String nodeId,
    int attempt,
    Hints hints,
    CallTime callTime,
    CallKey key) {

  public Invocation {
    if (key == null) {
      key = CallKey.of(instanceId, nodeId, attempt);
    }
  }

  /** A call whose keys are those of a top-level node of root instance {@code instanceId}. */
  public Invocation(
      FunctionDef function,
      JsonNode input,
      long deadlineNanos,
      String instanceId,
      String nodeId,
      int attempt,
      Hints hints,
      CallTime callTime) {
    this(function, input, deadlineNanos, instanceId, nodeId, attempt, hints, callTime, null);
  }

  /** A call whose caller does not ask for the function's own time. */
  public Invocation(
      FunctionDef function,
      JsonNode input,
      long deadlineNanos,
      String instanceId,
      String nodeId,
      int attempt,
      Hints hints) {
    this(function, input, deadlineNanos, instanceId, nodeId, attempt, hints, null, null);
  }

  /** The key of this attempt: see {@link CallKey#idempotencyKey()}. */
  public String idempotencyKey() {
    return key.idempotencyKey();
  }

  /** The key of this step, the same for every attempt: see {@link CallKey#stepKey()}. */
  public String stepKey() {
    return key.stepKey();
  }

  public boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }
}

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
 */
public record Invocation(
    FunctionDef function,
    JsonNode input,
    long deadlineNanos,
    String instanceId,
    String nodeId,
    int attempt,
    Hints hints,
    CallTime callTime) {

  /** A call whose caller does not ask for the function's own time. */
  public Invocation(
      FunctionDef function,
      JsonNode input,
      long deadlineNanos,
      String instanceId,
      String nodeId,
      int attempt,
      Hints hints) {
    this(function, input, deadlineNanos, instanceId, nodeId, attempt, hints, null);
  }

  public boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }
}

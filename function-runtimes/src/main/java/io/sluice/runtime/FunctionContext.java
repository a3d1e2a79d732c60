package io.sluice.runtime;

/**
 * What a {@link JavaFunction} knows about the call it serves.
 *
 * @param instanceId the workflow instance
 * @param nodeId the graph node that calls the function
 * @param attempt 1 for the first attempt, 2 for the first retry...
 * @param idempotencyKey the same for every delivery of this attempt, different for each attempt
 *     ({@link CallKey#idempotencyKey()})
 * @param stepKey the same for every attempt of this step ({@link CallKey#stepKey()}): the key to
 *     de-duplicate a side effect that must happen once whatever the retries
 */
public record FunctionContext(
    String instanceId, String nodeId, int attempt, String idempotencyKey, String stepKey) {

  /** The context of a top-level node of root instance {@code instanceId}. */
  public FunctionContext(String instanceId, String nodeId, int attempt) {
    this(instanceId, nodeId, attempt, CallKey.of(instanceId, nodeId, attempt));
  }

  private FunctionContext(String instanceId, String nodeId, int attempt, CallKey key) {
    this(instanceId, nodeId, attempt, key.idempotencyKey(), key.stepKey());
  }

  public static FunctionContext of(Invocation invocation) {
    return new FunctionContext(
        invocation.instanceId(),
        invocation.nodeId(),
        invocation.attempt(),
        invocation.idempotencyKey(),
        invocation.stepKey());
  }
}

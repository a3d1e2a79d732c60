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
 * @param logLines where {@link #log(String)} writes (null: nowhere); not part of equality
 */
public record FunctionContext(
    String instanceId,
    String nodeId,
    int attempt,
    String idempotencyKey,
    String stepKey,
    FunctionLog logLines) {

  /** A context whose log lines go nowhere. */
  public FunctionContext(
      String instanceId, String nodeId, int attempt, String idempotencyKey, String stepKey) {
    this(instanceId, nodeId, attempt, idempotencyKey, stepKey, null);
  }

  /** The context of a top-level node of root instance {@code instanceId}. */
  public FunctionContext(String instanceId, String nodeId, int attempt) {
    this(instanceId, nodeId, attempt, CallKey.of(instanceId, nodeId, attempt));
  }

  private FunctionContext(String instanceId, String nodeId, int attempt, CallKey key) {
    this(instanceId, nodeId, attempt, key.idempotencyKey(), key.stepKey());
  }

  /** The context of {@code invocation}, whose log lines go to a new {@link FunctionLog}. */
  public static FunctionContext of(Invocation invocation) {
    return new FunctionContext(
        invocation.instanceId(),
        invocation.nodeId(),
        invocation.attempt(),
        invocation.idempotencyKey(),
        invocation.stepKey(),
        invocation.callTime() == null ? null : new FunctionLog());
  }

  /**
   * Writes a line to this call's log: the worker keeps the last 64 KB of each call's lines, and
   * {@code sluice logs} shows them (stream {@code log}).
   */
  public void log(String line) {
    if (logLines != null) {
      logLines.line(line);
    }
  }

  /** Equal when they describe the same call, whatever their logs. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionContext c
        && attempt == c.attempt
        && instanceId.equals(c.instanceId)
        && nodeId.equals(c.nodeId)
        && idempotencyKey.equals(c.idempotencyKey)
        && stepKey.equals(c.stepKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(instanceId, nodeId, attempt, idempotencyKey, stepKey);
  }
}

package io.sluice.runtime;

/**
 * What a {@link JavaFunction} knows about the call it serves.
 *
 * @param instanceId the workflow instance
 * @param nodeId the graph node that calls the function
 * @param attempt 1 for the first attempt, 2 for the first retry...
 */
public record FunctionContext(String instanceId, String nodeId, int attempt) {

  public static FunctionContext of(Invocation invocation) {
    return new FunctionContext(invocation.instanceId(), invocation.nodeId(), invocation.attempt());
  }
}

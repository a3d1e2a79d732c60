package io.sluice.sdk;

/**
 * Why an instance or a node failed: the error's name as catchers match it ({@code FunctionError},
 * {@code Timeout}, ...), its message, and where it happened (empty strings when unknown).
 */
public record ErrorDetail(
    String type, String message, String nodeId, String workerId, boolean retryable) {
  @Override
  public String toString() {
    return type + ": " + message + (nodeId.isEmpty() ? "" : " (node " + nodeId + ")");
  }
}

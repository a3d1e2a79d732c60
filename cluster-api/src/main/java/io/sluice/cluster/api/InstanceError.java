package io.sluice.cluster.api;

/**
 * Why an instance failed: the node where it failed, the error type (what retry and catch match on)
 * and a message.
 */
public record InstanceError(String nodeId, String type, String message) {
  @Override
  public String toString() {
    return "node '" + nodeId + "' failed with " + type + ": " + message;
  }
}

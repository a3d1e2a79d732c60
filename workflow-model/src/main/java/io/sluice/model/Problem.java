package io.sluice.model;

/**
 * One thing wrong with a definition, where it is. Printed as {@code FILE:LINE: node: message}
 * (the node part is {@code -} when the problem is not about one node).
 */
public record Problem(Location location, String nodeId, String message) {
  public Problem {
    location = location == null ? Location.UNKNOWN : location;
    nodeId = nodeId == null ? "-" : nodeId;
  }

  @Override
  public String toString() {
    return location.file() + ":" + location.line() + ": " + nodeId + ": " + message;
  }
}

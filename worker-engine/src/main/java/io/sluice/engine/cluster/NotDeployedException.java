package io.sluice.engine.cluster;

/**
 * A worker was asked about a workflow it does not hold (yet): an edge event that reached a worker
 * before its deployment, or a start for a workflow deployed elsewhere. A peer's edge event refused
 * this way is kept by its sender and sent again, never dropped.
 */
public final class NotDeployedException extends IllegalArgumentException {
  public NotDeployedException(String message) {
    super(message);
  }
}

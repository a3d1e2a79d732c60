package io.sluice.cluster.api;

/** The lifecycle of a workflow instance: RUNNING, then exactly one terminal state. */
public enum InstanceState {
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this != RUNNING;
  }
}

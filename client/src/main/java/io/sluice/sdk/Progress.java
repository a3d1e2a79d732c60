package io.sluice.sdk;

/**
 * One update of a watched instance ({@link SluiceClient#watch}): the instance's status as it is now
 * (the first and the last update carry it; node-level updates may not, then it is null), and for
 * node-level progress the node whose state changed (its row as it is now) and the history step that
 * changed it (each null when absent).
 */
public record Progress(InstanceStatus status, NodeProgress node, HistoryStep step) {
  /** Whether this is the last update: the instance has ended. */
  public boolean last() {
    return status != null && status.ended();
  }
}

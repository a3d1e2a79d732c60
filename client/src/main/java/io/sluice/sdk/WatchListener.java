package io.sluice.sdk;

/**
 * Receives a watched instance's updates ({@link SluiceClient#watch}). Calls come one at a time, in
 * order, on a gRPC thread: do not block in them. A listener that throws ends the watch with that
 * exception.
 */
@FunctionalInterface
public interface WatchListener {
  /** An update: the first carries the whole status, then node-level progress, the last the end. */
  void onProgress(Progress update);

  /** The instance ended; {@code last} is its final status. Nothing follows. */
  default void onEnd(InstanceStatus last) {}

  /** The watch failed (the instance is unknown, the master stayed away). Nothing follows. */
  default void onError(SluiceException error) {}
}

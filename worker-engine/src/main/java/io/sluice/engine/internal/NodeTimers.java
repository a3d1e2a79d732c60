package io.sluice.engine.internal;

import io.sluice.time.Scheduler;
import io.sluice.time.Scheduler.Cancellable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The timers an instance has running: at most one wait timer and one attempt timeout per node.
 * Confined to the instance's thread; a fired timer only posts an event to the mailbox.
 */
final class NodeTimers {
  private final Map<Integer, Cancellable> timers = new HashMap<>();

  /**
   * Starts (or restarts) the wait timer, or with {@code timeout} the attempt timeout, of a node.
   */
  void start(Scheduler scheduler, int node, boolean timeout, Duration delay, Runnable fire) {
    Cancellable old = timers.put(timeout ? ~node : node, scheduler.schedule(delay, fire));
    if (old != null) {
      old.cancel();
    }
  }

  /** Cancels both timers of a node. */
  void cancel(int node) {
    Cancellable a = timers.remove(node);
    Cancellable b = timers.remove(~node);
    if (a != null) {
      a.cancel();
    }
    if (b != null) {
      b.cancel();
    }
  }

  void cancelAll() {
    timers.values().forEach(Cancellable::cancel);
    timers.clear();
  }
}

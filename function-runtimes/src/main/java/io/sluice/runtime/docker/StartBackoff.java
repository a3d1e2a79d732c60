package io.sluice.runtime.docker;

import io.sluice.runtime.FunctionException;
import java.time.Duration;

/**
 * When a pool may start its next container after starts failed, so that an image or code that keeps
 * failing does not loop create → fail as fast as the engine answers. After {@code k} consecutive
 * failed starts no container starts for {@code FIRST × 2^(k-1)}, at most {@link #MAX}; after {@link
 * #PREWARM_GIVE_UP} in a row the pool stops starting containers on its own ({@code prewarm} and the
 * engine's prewarm hint) until a call waits for one. A successful start resets both. Each failure
 * is logged: at DEBUG, the one that stops prewarming at WARNING. Not thread-safe: guarded by its
 * pool's lock; times are {@code Scheduler.nanoTime()}.
 */
final class StartBackoff {
  private static final System.Logger LOG = System.getLogger(StartBackoff.class.getName());

  /** The pause after the first failed start. */
  static final Duration FIRST = Duration.ofMillis(200);

  /** The longest pause, however many starts failed. */
  static final Duration MAX = Duration.ofSeconds(30);

  /** Consecutive failed starts after which the pool no longer prewarms on its own. */
  static final int PREWARM_GIVE_UP = 5;

  private final String function;
  private int failures;
  private long notBefore;
  private boolean prewarmStopped;

  StartBackoff(String function) {
    this.function = function;
  }

  /** How long from {@code now} until a container may start; 0 when one may start now. */
  long waitNanos(long now) {
    return failures == 0 ? 0 : Math.max(0, notBefore - now);
  }

  /**
   * A start failed at {@code now} with {@code failure}, failing {@code callsFailed} waiting calls:
   * the next start waits longer, and after {@link #PREWARM_GIVE_UP} in a row prewarming stops.
   */
  void failed(long now, FunctionException failure, int callsFailed) {
    failures++;
    long pause = Math.min(FIRST.toNanos() << Math.min(failures - 1, 20), MAX.toNanos());
    notBefore = now + pause;
    if (failures >= PREWARM_GIVE_UP && !prewarmStopped) {
      prewarmStopped = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "function ''{0}'': {1} container starts in a row failed; not prewarmed until a call waits"
              + " for a container, next start in {2} ms at the earliest: {3}",
          function,
          failures,
          pause / 1_000_000,
          failure.getMessage());
    } else {
      LOG.log(
          System.Logger.Level.DEBUG,
          "function ''{0}'': container start failed ({1} in a row, {2} waiting calls failed),"
              + " next in {3} ms at the earliest: {4}",
          function,
          failures,
          callsFailed,
          pause / 1_000_000,
          failure.getMessage());
    }
  }

  /** A container started: no pause, and prewarming resumes. */
  void succeeded() {
    failures = 0;
    prewarmStopped = false;
  }

  /**
   * A call waits for a container: prewarming resumes (starts still wait for the pause), and stops
   * again after one more failure.
   */
  void callArrived() {
    prewarmStopped = false;
  }

  /** Whether the pool's own starts (prewarm, the prewarm hint) are stopped. */
  boolean prewarmStopped() {
    return prewarmStopped;
  }

  /** Consecutive failed starts since the last successful one. */
  int failures() {
    return failures;
  }
}

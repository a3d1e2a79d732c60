package io.sluice.cluster.net;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until a {@link System#nanoTime()} deadline more precisely than a bare {@link
 * LockSupport#parkNanos}: Linux wakes a parked thread some 50-100 µs late (timer slack and
 * scheduling), which would add that much to every emulated millisecond. So it parks until the
 * deadline less the overshoot it has measured (a moving average), then spins the few microseconds
 * left. It never spins longer than {@link #MAX_SLACK} per wait, and waits only when a chunk is due:
 * an idle link does not spin. One instance per thread.
 */
final class PreciseWait {
  static final long MAX_SLACK = 200_000;
  private static final long MIN_SLACK = 5_000;

  /** Estimated overshoot of parkNanos, in nanoseconds. */
  private long slack = 80_000;

  /**
   * Returns true at or after {@code deadline}, or false as soon as {@code stop} answers true (it is
   * asked at every wake-up).
   */
  boolean until(long deadline, BooleanSupplier stop) {
    while (true) {
      long now = System.nanoTime();
      long remaining = deadline - now;
      if (remaining <= 0) {
        return true;
      }
      if (stop.getAsBoolean()) {
        return false;
      }
      if (remaining > slack + MIN_SLACK) {
        long asked = remaining - slack;
        LockSupport.parkNanos(asked);
        long overshoot = System.nanoTime() - now - asked;
        if (overshoot >= 0) { // not woken early by an unpark or an interrupt
          slack = Math.max(MIN_SLACK, Math.min(MAX_SLACK, slack + (overshoot - slack) / 8));
        }
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** The overshoot currently allowed for, for tests and diagnostics. */
  long slackNanos() {
    return slack;
  }
}

package io.sluice.cluster.net;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits until a {@link System#nanoTime()} deadline more precisely than a bare {@link
 * LockSupport#parkNanos}: Linux wakes a parked thread some 50-100 µs late (timer slack and
 * scheduling), which would add that much to every emulated millisecond. So it parks until the
 * deadline less the overshoot it has measured (a moving estimate that rises quickly and falls
 * slowly, so it sits high in the overshoot's distribution), then spins the few microseconds left.
 * It never spins longer than {@link #MAX_SLACK} per wait, and waits only when a chunk is due: an
 * idle link does not spin. One instance per thread.
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
    return until(deadline, stop, true);
  }

  /**
   * As {@link #until(long, BooleanSupplier)}; when not {@code precise}, it only parks and may end
   * up to a park's overshoot late, spending no CPU on spinning (for chunks with more queued behind
   * them: their deadlines are absolute, so a late one delays no other, and the rate holds).
   */
  boolean until(long deadline, BooleanSupplier stop, boolean precise) {
    while (true) {
      long now = System.nanoTime();
      long remaining = deadline - now;
      if (remaining <= 0) {
        return true;
      }
      if (stop.getAsBoolean()) {
        return false;
      }
      if (!precise) {
        LockSupport.parkNanos(remaining);
      } else if (remaining > slack + MIN_SLACK) {
        long asked = remaining - slack;
        LockSupport.parkNanos(asked);
        long overshoot = System.nanoTime() - now - asked;
        if (overshoot >= 0) { // not woken early by an unpark or an interrupt
          // up fast, down slowly: the estimate sits high in the overshoot's distribution, so most
          // waits end spinning a little rather than waking late
          // (a sample counts at most twice the estimate: a preempted thread is not a trend)
          long sample = Math.min(overshoot, 2 * slack);
          long step = sample > slack ? (sample - slack) / 4 : (sample - slack) / 32;
          slack = Math.max(MIN_SLACK, Math.min(MAX_SLACK, slack + step));
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

package io.sluice.time;

import java.time.Duration;

/**
 * Time, injected: engine logic never reads the wall clock or sleeps; it asks a scheduler. The
 * production one is {@link SystemScheduler}; tests drive a {@link ManualScheduler}.
 */
public interface Scheduler {

  /** Monotonic time in nanoseconds, for durations. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for timestamps people read. */
  long currentTimeMillis();

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that may be cancelled before it runs. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task; returns false if it already ran or was cancelled. */
    boolean cancel();
  }
}

package io.sluice.runtime.docker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every docker runtime of this JVM has done, for reports ({@code bin/sluice run --json} shows
 * it as {@code containers}) and tests: containers started and calls answered by a container.
 * Process-wide on purpose: the workers of {@code run --workers N} live in one JVM, each with its
 * own runtime, and a run's report counts them all (read it before and after, and subtract).
 */
public final class DockerStats {
  private static final AtomicLong STARTED = new AtomicLong();
  private static final AtomicLong CALLS = new AtomicLong();
  private static final AtomicLong PREWARMED = new AtomicLong();
  private static final AtomicLong COLD_WAITS = new AtomicLong();
  private static final AtomicLong COLD_WAIT_NANOS = new AtomicLong();

  private DockerStats() {}

  /** Containers started (created and running) so far. */
  public static long containersStarted() {
    return STARTED.get();
  }

  /** Calls a container answered with a JSON output (status 200) so far. */
  public static long calls() {
    return CALLS.get();
  }

  /** Containers started by a {@code prewarm} hint, before any call asked for them. */
  public static long prewarmed() {
    return PREWARMED.get();
  }

  /** Calls that had to wait for a container to start (none idle, none with room). */
  public static long coldWaits() {
    return COLD_WAITS.get();
  }

  /** The total time calls spent waiting for a container to start, in nanoseconds. */
  public static long coldWaitNanos() {
    return COLD_WAIT_NANOS.get();
  }

  static void prewarmStarted() {
    PREWARMED.incrementAndGet();
  }

  static void coldWait(long nanos) {
    COLD_WAITS.incrementAndGet();
    COLD_WAIT_NANOS.addAndGet(nanos);
  }

  static void started() {
    STARTED.incrementAndGet();
  }

  static void called() {
    CALLS.incrementAndGet();
  }
}

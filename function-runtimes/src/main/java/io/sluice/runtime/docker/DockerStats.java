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

  private DockerStats() {}

  /** Containers started (created and running) so far. */
  public static long containersStarted() {
    return STARTED.get();
  }

  /** Calls a container answered with a JSON output (status 200) so far. */
  public static long calls() {
    return CALLS.get();
  }

  static void started() {
    STARTED.incrementAndGet();
  }

  static void called() {
    CALLS.incrementAndGet();
  }
}

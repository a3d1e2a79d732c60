package io.sluice.bench.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The processes this harness started and has not stopped yet. A shutdown hook stops them (TERM,
 * then KILL after a grace period) when the harness ends early — Ctrl-C, a failure, an exception —
 * so no master or worker outlives it. Only these pids are ever signalled.
 */
final class Children {
  private static final Set<Process> LIVE = new LinkedHashSet<>();
  private static boolean hooked;

  private Children() {}

  static synchronized void add(Process p) {
    if (!hooked) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    List<Process> left;
                    synchronized (Children.class) {
                      left = new ArrayList<>(LIVE);
                    }
                    java.util.Collections.reverse(left);
                    stop(left, Duration.ofSeconds(5));
                  },
                  "bench-stop-processes"));
      hooked = true;
    }
    LIVE.add(p);
  }

  /** TERM to each, wait up to {@code grace} for all, then KILL the rest and wait for them. */
  static void stop(List<Process> processes, Duration grace) {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      synchronized (Children.class) {
        LIVE.remove(p);
      }
    }
  }
}

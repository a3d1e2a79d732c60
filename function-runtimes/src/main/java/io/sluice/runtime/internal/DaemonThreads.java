package io.sluice.runtime.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools the runtimes run blocking work on (process streams, engine calls, HTTP, async
 * java functions): a task never waits for a thread, since a blocked task must not hold up the next,
 * and idle threads end, so the pool grows and shrinks with the work. Daemon threads, so a runtime
 * left open never keeps the JVM alive; named, so a thread dump says whose they are.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * A pool with no queue and no bound that starts a daemon thread named {@code name-N} (N from 1)
   * for each task no idle thread takes, and ends a thread idle for {@code idle}.
   */
  public static ExecutorService cachedPool(String name, Duration idle) {
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        idle.toNanos(),
        TimeUnit.NANOSECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}

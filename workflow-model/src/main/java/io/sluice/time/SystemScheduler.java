package io.sluice.time;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real clock and a small timer thread pool. Zero delays run on the timer thread at once. */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService timers;

  public SystemScheduler(int threads) {
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("sluice-timer-" + t.getId());
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    this.timers = ex;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = timers.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}

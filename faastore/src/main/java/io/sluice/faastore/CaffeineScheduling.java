package io.sluice.faastore;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Lets Caffeine's prompt expiry run on Sluice's injected {@link Scheduler}, so tests drive it. */
final class CaffeineScheduling implements com.github.benmanes.caffeine.cache.Scheduler {
  private final Scheduler scheduler;

  CaffeineScheduling(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
    ScheduledTask task = new ScheduledTask();
    task.handle =
        scheduler.schedule(
            Duration.ofNanos(unit.toNanos(delay)),
            () -> {
              task.done = true;
              executor.execute(command);
            });
    return task;
  }

  private static final class ScheduledTask implements Future<Void> {
    volatile Scheduler.Cancellable handle;
    volatile boolean done;
    volatile boolean cancelled;

    @Override
    public boolean cancel(boolean mayInterrupt) {
      if (done || cancelled) {
        return false;
      }
      cancelled = handle.cancel();
      return cancelled;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Void get() {
      return null;
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}

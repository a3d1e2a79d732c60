package io.sluice.engine;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler whose time jumps: timers run in the order they are due, each as soon as the ones
 * before it have been handed to its threads, and the clock then reads its due time. A workflow that
 * waits a day, or retries with a backoff of years, ends in milliseconds with the outcome it would
 * have on the real clock (for the definition fuzzer, which must tell a run that waits from a run
 * that hangs). Delays are converted like {@link io.sluice.time.SystemScheduler} converts them
 * ({@link Duration#toNanos}, which throws past 292 years); due times saturate.
 */
final class FastClock implements Scheduler, AutoCloseable {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final ExecutorService runners;
  private final Thread dispatcher;
  private final long wallStartMillis = System.currentTimeMillis();
  private final AtomicLong ran = new AtomicLong();
  private long now;
  private long seq;
  private boolean closed;

  private static final class Task implements Comparable<Task> {
    final long due;
    final long order;
    final Runnable run;
    boolean cancelled;

    Task(long due, long order, Runnable run) {
      this.due = due;
      this.order = order;
      this.run = run;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
    }
  }

  FastClock(int threads) {
    runners =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "fast-clock-runner");
              t.setDaemon(true);
              return t;
            });
    dispatcher = new Thread(this::dispatch, "fast-clock");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return wallStartMillis + now / 1_000_000L;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    long nanos = Math.max(0, delay.toNanos());
    long due = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    Task t = new Task(due, seq++, task);
    queue.add(t);
    notifyAll();
    return () -> {
      synchronized (FastClock.this) {
        boolean was = !t.cancelled && queue.remove(t);
        t.cancelled = true;
        return was;
      }
    };
  }

  /** Timers not yet run. */
  synchronized int pending() {
    return queue.size();
  }

  /** Timers run so far (a sign of progress). */
  long ran() {
    return ran.get();
  }

  private void dispatch() {
    while (true) {
      Task next;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = queue.poll();
        now = Math.max(now, next.due);
      }
      ran.incrementAndGet();
      runners.execute(next.run);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
    }
    runners.shutdownNow();
  }
}

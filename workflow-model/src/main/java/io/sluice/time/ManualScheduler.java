package io.sluice.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so: {@link #advance(Duration)} runs every
 * task that has come due, in due order, on the calling thread.
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long seq;

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

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return now / 1_000_000L;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, task);
    queue.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        boolean was = !t.cancelled && queue.remove(t);
        t.cancelled = true;
        return was;
      }
    };
  }

  /** Moves time forward, running every task that comes due. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        queue.poll();
        now = Math.max(now, next.due);
      }
      next.run.run();
    }
  }

  /** How many tasks are waiting. */
  public synchronized int pending() {
    return queue.size();
  }
}

package io.sluice.faastore;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Moves a store's budget with the worker's containers: every {@code interval} on the injected
 * scheduler it reads what the containers were granted and use (the runtimes' footprint) and hands
 * it to {@link MemoryBudget#reportContainerMemory}, which applies {@code reclaimFromContainers}.
 * When containers grow into the memory the store holds, the budget shrinks and the store spills to
 * Redis; when they shrink or go away, it grows back (up to {@code budgetCap}).
 */
public final class ContainerBudget implements AutoCloseable {
  /** How often the budget follows the containers. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  /** What the worker's containers were granted and use, in bytes. */
  public record ContainerMemory(long grantedBytes, long usedBytes) {
    public static final ContainerMemory NONE = new ContainerMemory(0, 0);
  }

  private final MemoryBudget budget;
  private final Supplier<ContainerMemory> source;
  private final Scheduler scheduler;
  private final Duration interval;
  private volatile boolean closed;
  private volatile Scheduler.Cancellable next;

  private ContainerBudget(
      MemoryBudget budget,
      Supplier<ContainerMemory> source,
      Scheduler scheduler,
      Duration interval) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.source = Objects.requireNonNull(source, "source");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  /** Follows {@code source} now and then every {@code interval}, until {@link #close()}. */
  public static ContainerBudget start(
      MemoryBudget budget,
      Supplier<ContainerMemory> source,
      Scheduler scheduler,
      Duration interval) {
    ContainerBudget b = new ContainerBudget(budget, source, scheduler, interval);
    b.follow();
    return b;
  }

  /** Reads the containers once and moves the budget. */
  void follow() {
    if (closed) {
      return;
    }
    try {
      ContainerMemory m = source.get();
      budget.reportContainerMemory(m.grantedBytes(), m.usedBytes());
    } catch (RuntimeException e) {
      System.getLogger(ContainerBudget.class.getName())
          .log(System.Logger.Level.WARNING, "reading the containers' memory failed", e);
    } finally {
      if (!closed) {
        next = scheduler.schedule(interval, this::follow);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }
}

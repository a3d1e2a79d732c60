package io.sluice.runtime.internal;

import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Deadlines of invocations, in {@link Scheduler#nanoTime()}: the engine's deadline, tightened by
 * the function's own {@code timeout} setting, enforced by a timer on the scheduler.
 */
public final class Deadlines {
  private Deadlines() {}

  /**
   * The earlier of the invocation's deadline and {@code now + timeout} when the function declares a
   * {@code timeout} setting; {@link Long#MAX_VALUE} for none.
   */
  public static long effective(Invocation inv, Scheduler scheduler) {
    FunctionDef f = inv.function();
    if (f.settings().get("timeout") == null) {
      return inv.deadlineNanos();
    }
    Duration timeout = Settings.duration(f, "timeout");
    long own = saturatedAdd(scheduler.nanoTime(), timeout.toNanos());
    return Math.min(inv.deadlineNanos(), own);
  }

  /**
   * Fails {@code result} with {@link FunctionException#TIMEOUT} at {@code deadlineNanos} unless it
   * completed before, then runs {@code onTimeout} (to stop the work). The timer is cancelled when
   * the result completes first.
   */
  public static void enforce(
      CompletableFuture<?> result,
      Invocation inv,
      long deadlineNanos,
      Scheduler scheduler,
      Runnable onTimeout) {
    if (deadlineNanos == Long.MAX_VALUE || result.isDone()) {
      return;
    }
    long delay = Math.max(0, deadlineNanos - scheduler.nanoTime());
    Scheduler.Cancellable timer =
        scheduler.schedule(
            Duration.ofNanos(delay),
            () -> {
              if (result.completeExceptionally(timeout(inv))) {
                onTimeout.run();
              }
            });
    result.whenComplete((r, e) -> timer.cancel());
  }

  /** The failure of an attempt that ran past its deadline (retryable). */
  public static FunctionException timeout(Invocation inv) {
    return new FunctionException(
        FunctionException.TIMEOUT,
        "function '"
            + inv.function().name()
            + "' at node '"
            + inv.nodeId()
            + "' (attempt "
            + inv.attempt()
            + ") did not finish by its deadline and was stopped",
        true);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}

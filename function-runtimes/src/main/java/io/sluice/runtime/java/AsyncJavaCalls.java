package io.sluice.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.JavaFunction;
import io.sluice.runtime.internal.DaemonThreads;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code async: true} java functions on a pool of daemon threads that grows with the number of
 * blocked functions. A call completed from outside (deadline, runtime closed, caller cancelled)
 * interrupts the function's thread.
 */
final class AsyncJavaCalls {
  private final Scheduler scheduler; // null: deadlines are not enforced
  private final InFlight inFlight;
  private final ExecutorService pool;

  AsyncJavaCalls(Scheduler scheduler, InFlight inFlight) {
    this.scheduler = scheduler;
    this.inFlight = inFlight;
    this.pool = DaemonThreads.cachedPool("sluice-java-async", Duration.ofSeconds(60));
  }

  CompletableFuture<JsonNode> call(JavaFunction fn, Invocation inv) {
    CompletableFuture<JsonNode> result = inFlight.track(new CompletableFuture<>());
    long deadline;
    try {
      deadline = scheduler == null ? Long.MAX_VALUE : Deadlines.effective(inv, scheduler);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(Settings.badConfiguration(e));
      return result;
    }
    AtomicBoolean running = new AtomicBoolean(true);
    Future<?> task;
    try {
      task = pool.submit(() -> run(fn, inv, result, running));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(inFlight.closedError());
      return result;
    }
    result.whenComplete(
        (r, e) -> {
          if (running.get()) { // completed from outside while the function still runs
            task.cancel(true);
          }
        });
    if (scheduler != null) {
      Deadlines.enforce(result, inv, deadline, scheduler, () -> {});
    }
    return result;
  }

  private static void run(
      JavaFunction fn, Invocation inv, CompletableFuture<JsonNode> result, AtomicBoolean running) {
    if (result.isDone()) {
      return;
    }
    JsonNode out = null;
    Throwable failure = null;
    FunctionContext ctx = FunctionContext.of(inv);
    try {
      out = fn.apply(inv.input(), ctx);
    } catch (Throwable t) {
      failure = t;
    }
    JvmFunctionRuntime.report(ctx, inv);
    running.set(false); // from here on, completing the result must not interrupt this thread
    if (failure == null) {
      result.complete(out == null ? NullNode.getInstance() : out);
    } else {
      result.completeExceptionally(FunctionException.of(failure));
    }
  }

  void close() {
    pool.shutdownNow();
  }
}

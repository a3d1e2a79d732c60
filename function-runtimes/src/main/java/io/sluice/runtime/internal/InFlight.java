package io.sluice.runtime.internal;

import io.sluice.runtime.FunctionException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invocations of one runtime that have not completed, so that closing the runtime fails every
 * one of them instead of leaving callers waiting; after close, new invocations fail at once.
 */
public final class InFlight {
  private final String kind;
  private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public InFlight(String kind) {
    this.kind = kind;
  }

  public boolean isClosed() {
    return closed;
  }

  /** How many tracked invocations have not completed. */
  public int size() {
    return running.size();
  }

  /** Tracks {@code result} until it completes; fails it at once if the runtime is closed. */
  public <T> CompletableFuture<T> track(CompletableFuture<T> result) {
    running.add(result);
    result.whenComplete((r, e) -> running.remove(result));
    if (closed) {
      result.completeExceptionally(closedWhileRunning());
    }
    return result;
  }

  /** Marks the runtime closed and fails every invocation still running (retryable elsewhere). */
  public void close() {
    closed = true;
    for (CompletableFuture<?> f : running) {
      f.completeExceptionally(closedWhileRunning());
    }
  }

  /** The failure of an invocation made after the runtime was closed. */
  public FunctionException closedError() {
    return new FunctionException(
        FunctionException.FUNCTION_FAILED,
        "the " + kind + " function runtime is closed; no function can run on it",
        false);
  }

  private FunctionException closedWhileRunning() {
    return new FunctionException(
        FunctionException.FUNCTION_FAILED,
        "the " + kind + " function runtime was closed while the function was running",
        true);
  }
}

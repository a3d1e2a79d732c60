package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A runtime whose invocations an {@link InvocationListener} hears; everything else is the wrapped
 * runtime's. Costs two clock reads, one map lookup (the function's probe) and one completion
 * callback per call (docs/benchmarks.md, Invocation metrics).
 */
final class ObservedRuntime implements FunctionRuntime {
  private final FunctionRuntime runtime;
  private final InvocationListener listener;
  private final ConcurrentHashMap<String, InvocationListener.Probe> probes =
      new ConcurrentHashMap<>();

  ObservedRuntime(FunctionRuntime runtime, InvocationListener listener) {
    this.runtime = runtime;
    this.listener = listener;
  }

  /** The runtime this one wraps. */
  FunctionRuntime unwrapped() {
    return runtime;
  }

  @Override
  public String kind() {
    return runtime.kind();
  }

  @Override
  public void validate(FunctionDef function) {
    runtime.validate(function);
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation invocation) {
    InvocationListener.Probe probe = probe(invocation.function().name());
    long t0 = System.nanoTime();
    CompletionStage<JsonNode> stage;
    try {
      stage = runtime.invoke(invocation);
    } catch (RuntimeException e) {
      probe.ended(System.nanoTime() - t0, e);
      throw e;
    }
    if (stage instanceof CompletableFuture<JsonNode> f && f.isDone()) {
      // synchronous runtimes: no callback to register
      probe.ended(System.nanoTime() - t0, f.isCompletedExceptionally() ? failure(f) : null);
      return stage;
    }
    // a side branch: the caller keeps the runtime's own stage (its failures unwrapped, its
    // cancellation reaching the runtime)
    stage.whenComplete((out, error) -> probe.ended(System.nanoTime() - t0, error));
    return stage;
  }

  private static Throwable failure(CompletableFuture<JsonNode> f) {
    try {
      f.join();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private InvocationListener.Probe probe(String function) {
    InvocationListener.Probe p = probes.get(function);
    if (p == null) {
      p =
          probes.computeIfAbsent(
              function,
              f -> {
                try {
                  return listener.probe(runtime.kind(), f);
                } catch (RuntimeException e) {
                  return InvocationListener.Probe.NONE;
                }
              });
    }
    return p;
  }

  @Override
  public void warmUp(FunctionDef function) {
    runtime.warmUp(function);
  }

  @Override
  public void prewarm(FunctionDef function) {
    runtime.prewarm(function);
  }

  @Override
  public boolean runsOnCaller(FunctionDef function) {
    return runtime.runsOnCaller(function);
  }

  @Override
  public Footprint footprint() {
    return runtime.footprint();
  }

  @Override
  public void close() {
    runtime.close();
  }
}

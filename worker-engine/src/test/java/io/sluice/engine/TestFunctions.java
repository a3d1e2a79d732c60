package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A real in-JVM runtime for engine tests (kind {@code test}): named lambdas, run inline, or
 * completed later by the test ({@link #pending}).
 */
final class TestFunctions implements FunctionRuntime {
  final Map<String, Function<Invocation, JsonNode>> functions = new ConcurrentHashMap<>();
  final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  TestFunctions fn(String name, Function<Invocation, JsonNode> f) {
    functions.put(name, f);
    return this;
  }

  /** A function whose invocations complete only when the test completes them. */
  TestFunctions hanging(String name) {
    functions.put(name, inv -> null);
    pending.put(name, new CompletableFuture<>());
    return this;
  }

  @Override
  public String kind() {
    return "test";
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    String name = inv.function().name();
    CompletableFuture<JsonNode> later = pending.get(name);
    if (later != null) {
      return later.thenApply(v -> v);
    }
    Function<Invocation, JsonNode> f = functions.get(name);
    if (f == null) {
      return CompletableFuture.failedFuture(
          new FunctionException(FunctionException.UNKNOWN_FUNCTION, name, false));
    }
    try {
      return CompletableFuture.completedFuture(f.apply(inv));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}

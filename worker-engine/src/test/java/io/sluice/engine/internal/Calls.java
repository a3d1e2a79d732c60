package io.sluice.engine.internal;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A function runtime (kind {@code calls}) for the state machine tests: functions given as lambdas
 * run inline; any other call stays open until the test completes it, attempt by attempt.
 */
final class Calls implements FunctionRuntime {
  record Call(Invocation invocation, CompletableFuture<JsonNode> result) {}

  private final Map<String, Function<Invocation, JsonNode>> inline = new ConcurrentHashMap<>();
  private final List<Call> open = new CopyOnWriteArrayList<>();

  Calls fn(String name, Function<Invocation, JsonNode> f) {
    inline.put(name, f);
    return this;
  }

  @Override
  public String kind() {
    return "calls";
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    Function<Invocation, JsonNode> f = inline.get(inv.function().name());
    if (f != null) {
      try {
        return CompletableFuture.completedFuture(f.apply(inv));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    open.add(new Call(inv, result));
    return result;
  }

  /** Waits for the open call of {@code node}'s attempt {@code attempt}, and takes it. */
  Call take(String node, int attempt) {
    Call[] found = new Call[1];
    await()
        .until(
            () -> {
              for (Call c : open) {
                if (c.invocation().nodeId().equals(node) && c.invocation().attempt() == attempt) {
                  found[0] = c;
                  return true;
                }
              }
              return false;
            });
    open.remove(found[0]);
    return found[0];
  }
}

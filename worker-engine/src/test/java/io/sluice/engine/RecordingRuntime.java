package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A function runtime (kind {@value #KIND}) for property tests: every invocation computes {@link
 * DagOracle#value}, records which node of which instance ran with which input, and checks at its
 * start that every predecessor's function already returned. Some calls (chosen by the case's seed
 * through {@link #asyncMask}) complete on another thread, so completions arrive out of order.
 */
final class RecordingRuntime implements FunctionRuntime {
  static final String KIND = "prop";

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  final Map<String, Map<String, Integer>> calls = new ConcurrentHashMap<>();
  final Map<String, Map<String, JsonNode>> inputs = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> returned = new ConcurrentHashMap<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile Map<String, List<String>> preds = Map.of();
  private volatile long asyncMask;

  /** Starts a new case: forgets everything recorded, takes the graph's predecessors. */
  void reset(Map<String, List<String>> predecessors, long asyncMask) {
    calls.clear();
    inputs.clear();
    returned.clear();
    violations.clear();
    this.preds = predecessors;
    this.asyncMask = asyncMask;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    String instance = inv.instanceId();
    String node = inv.nodeId();
    int n =
        calls
            .computeIfAbsent(instance, k -> new ConcurrentHashMap<>())
            .merge(node, 1, Integer::sum);
    if (n > 1) {
      violations.add(instance + ": " + node + " fired " + n + " times");
    }
    Set<String> done = returned.computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet());
    for (String p : preds.getOrDefault(node, List.of())) {
      if (!done.contains(p)) {
        violations.add(instance + ": " + node + " ran before its predecessor " + p + " completed");
      }
    }
    inputs.computeIfAbsent(instance, k -> new ConcurrentHashMap<>()).putIfAbsent(node, inv.input());
    JsonNode out = DagOracle.value(node, inv.input());
    boolean async = ((asyncMask >>> Math.floorMod(node.hashCode(), 64)) & 1) == 1;
    if (!async) {
      done.add(node);
      return CompletableFuture.completedFuture(out);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          done.add(node);
          return out;
        },
        pool);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

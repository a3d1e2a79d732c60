package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.durable.CallOutcome;
import io.sluice.cluster.durable.InstanceRecord;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The function calls of one crash-fuzzer case, across its workers ({@link EngineCrashFuzzTest}):
 * every worker gets a runtime (kind {@value #KIND}) that counts its invocations per idempotency key
 * and a journal that records into the case's shared {@link MemoryJournal} (the cluster's Redis)
 * until the worker dies, then nothing more (a killed process writes nothing). A call is a violation
 * when its key's outcome was already recorded (a completed call made again), or when a live worker
 * had invoked the same key before (a duplicate fire); a key invoked again after its first invoker
 * died unrecorded is a re-run, allowed and counted. Some calls (chosen by the case's seed) are
 * parked: they return only when the test completes them, so calls are running when a worker dies.
 */
final class CallLedger {
  static final String KIND = "crashprop";

  /** A call waiting for the test to complete it. */
  record Parked(String worker, CompletableFuture<JsonNode> call, JsonNode out) {}

  private final Map<String, List<String>> invokers = new ConcurrentHashMap<>();
  final Map<String, List<JsonNode>> inputs = new ConcurrentHashMap<>();
  private final Set<String> recorded = ConcurrentHashMap.newKeySet();
  final Set<String> dead = ConcurrentHashMap.newKeySet();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final List<String> reRuns = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Consumer<Parked> parked = p -> {};
  final MemoryJournal journal = new MemoryJournal();
  private final long parkMask;

  CallLedger(long parkMask) {
    this.parkMask = parkMask;
  }

  /** What a task of this fuzzer computes (the embedded oracle run uses the same). */
  static JsonNode value(Invocation inv) {
    JsonNode in = inv.input();
    if (inv.function().name().equals(CrashDags.QUORUM_FN)) {
      in = IntNode.valueOf(in != null && in.isObject() ? in.size() : 1);
    }
    return DagOracle.value(inv.nodeId(), in);
  }

  /** The runtime of worker {@code worker} (shadow engines it runs use it too). */
  FunctionRuntime runtime(String worker) {
    return new FunctionRuntime() {
      @Override
      public String kind() {
        return KIND;
      }

      @Override
      public CompletionStage<JsonNode> invoke(Invocation inv) {
        return invoked(worker, inv);
      }

      @Override
      public void close() {}
    };
  }

  private CompletionStage<JsonNode> invoked(String worker, Invocation inv) {
    String key = inv.key().idempotencyKey();
    if (dead.contains(worker)) {
      return new CompletableFuture<>(); // a dead worker's late thread: its call never returns
    }
    synchronized (this) {
      if (recorded.contains(key)) {
        violations.add(worker + " invoked " + key + " although its outcome was recorded");
      }
      List<String> before = invokers.computeIfAbsent(key, k -> new ArrayList<>(1));
      for (String w : before) {
        if (!dead.contains(w)) {
          violations.add(key + " invoked by " + w + " and again by " + worker);
        }
      }
      if (!before.isEmpty()) {
        reRuns.add(key + " (first run on dead " + before + ", again on " + worker + ")");
      }
      before.add(worker);
    }
    inputs.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(inv.input());
    JsonNode out = value(inv);
    if (((parkMask >>> Math.floorMod(inv.nodeId().hashCode(), 64)) & 1) == 1) {
      CompletableFuture<JsonNode> call = new CompletableFuture<>();
      parked.accept(new Parked(worker, call, out));
      return call;
    }
    return CompletableFuture.completedFuture(out);
  }

  /** Where parked calls go (the test's network loop, which completes them in random order). */
  void onPark(java.util.function.Consumer<Parked> sink) {
    this.parked = sink;
  }

  /** Every key invoked, by anyone. */
  Set<String> invokedKeys() {
    return invokers.keySet();
  }

  /** The journal worker {@code worker} writes through: the shared one, until it dies. */
  Journal journal(String worker) {
    return new io.sluice.cluster.durable.ForwardingJournal(journal) {
      @Override
      public CompletionStage<Void> started(InstanceRecord record) {
        return dead.contains(worker) ? new CompletableFuture<>() : super.started(record);
      }

      @Override
      public CompletionStage<CallOutcome> called(
          String instanceId, String callKey, CallOutcome outcome) {
        if (dead.contains(worker)) {
          return new CompletableFuture<>(); // the write never happens, nor its answer
        }
        CompletionStage<CallOutcome> out = super.called(instanceId, callKey, outcome);
        recorded.add(callKey);
        return out;
      }

      @Override
      public CompletionStage<Void> accepted(List<EdgeEvent> edges) {
        return dead.contains(worker) ? new CompletableFuture<>() : super.accepted(edges);
      }

      @Override
      public CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] r) {
        return dead.contains(worker)
            ? new CompletableFuture<>()
            : super.partEnded(instanceId, partWorker, r);
      }
    };
  }

  /** The embedded (sequential) oracle's runtime: records each call's input and output by key. */
  static final class Oracle implements FunctionRuntime {
    final Map<String, JsonNode> inputs = new ConcurrentHashMap<>();
    final Map<String, JsonNode> outputs = new ConcurrentHashMap<>();

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public CompletionStage<JsonNode> invoke(Invocation inv) {
      JsonNode out = value(inv);
      inputs.put(inv.key().idempotencyKey(), inv.input());
      outputs.put(inv.key().idempotencyKey(), out);
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {}
  }
}

package io.sluice.cluster.durable;

import io.sluice.cluster.api.EdgeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A journal in this JVM's memory, with the semantics of the Redis one (first outcome wins, edges
 * once by index). For tests and the engine fuzzer, which simulate crashes by dropping engines, not
 * the JVM. {@link #duplicateCalls()} counts outcomes offered for a call that already had one.
 */
public final class MemoryJournal implements Journal {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private static final class State {
    InstanceRecord start;
    final Map<String, CallOutcome> calls = new HashMap<>();
    final Map<Integer, EdgeEvent> edges = new LinkedHashMap<>();
    final Map<String, byte[]> parts = new HashMap<>();
    final Map<String, String> moves = new HashMap<>();
    boolean ended;
    byte[] end;
  }

  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
  private final AtomicLong duplicateCalls = new AtomicLong();

  @Override
  public boolean enabled() {
    return true;
  }

  private State state(String instanceId) {
    return states.computeIfAbsent(instanceId, id -> new State());
  }

  @Override
  public CompletionStage<Void> started(InstanceRecord record) {
    State s = state(record.instanceId());
    synchronized (s) {
      s.start = record;
    }
    return DONE;
  }

  @Override
  public CompletionStage<CallOutcome> called(
      String instanceId, String callKey, CallOutcome outcome) {
    State s = state(instanceId);
    synchronized (s) {
      CallOutcome had = s.calls.putIfAbsent(callKey, outcome);
      if (had != null) {
        duplicateCalls.incrementAndGet();
        return CompletableFuture.completedFuture(had);
      }
    }
    return CompletableFuture.completedFuture(outcome);
  }

  @Override
  public CompletionStage<Void> accepted(List<EdgeEvent> edges) {
    for (EdgeEvent e : edges) {
      State s = state(e.instanceId());
      synchronized (s) {
        s.edges.putIfAbsent(e.edge(), e);
      }
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] result) {
    State s = state(instanceId);
    synchronized (s) {
      s.parts.put(partWorker, result.clone());
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> partMoved(String instanceId, String partWorker, String holder) {
    State s = state(instanceId);
    synchronized (s) {
      s.moves.put(partWorker, holder);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> ended(String instanceId, byte[] finalStatus) {
    State s = state(instanceId);
    synchronized (s) {
      s.ended = true;
      s.end = finalStatus.clone();
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> ended(String instanceId) {
    State s = state(instanceId);
    synchronized (s) {
      s.ended = true;
    }
    return DONE;
  }

  @Override
  public CompletionStage<Optional<Recorded>> redrive(String instanceId) {
    State s = states.get(instanceId);
    if (s == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    synchronized (s) {
      if (s.start == null) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      s.calls.values().removeIf(CallOutcome::failed);
      s.edges.clear();
      s.parts.clear();
      s.moves.clear();
      s.ended = false;
      s.end = null;
    }
    return load(instanceId);
  }

  @Override
  public CompletionStage<Optional<Recorded>> load(String instanceId) {
    State s = states.get(instanceId);
    if (s == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    synchronized (s) {
      return CompletableFuture.completedFuture(
          Optional.of(
              new Recorded(
                  s.start, s.calls, new ArrayList<>(s.edges.values()), s.parts, s.moves, s.end)));
    }
  }

  @Override
  public CompletionStage<List<InstanceRecord>> running() {
    List<InstanceRecord> out = new ArrayList<>();
    states.forEach(
        (id, s) -> {
          synchronized (s) {
            if (s.start != null && !s.ended) {
              out.add(s.start);
            }
          }
        });
    return CompletableFuture.completedFuture(out);
  }

  private final Map<String, byte[]> workflows = new LinkedHashMap<>();

  @Override
  public synchronized CompletionStage<Void> workflowRegistered(String key, byte[] registration) {
    workflows.remove(key);
    workflows.put(key, registration.clone());
    return DONE;
  }

  @Override
  public synchronized CompletionStage<List<byte[]>> workflows() {
    return CompletableFuture.completedFuture(new ArrayList<>(workflows.values()));
  }

  /** Outcomes offered for a call that already had one (a call made twice). */
  public long duplicateCalls() {
    return duplicateCalls.get();
  }
}

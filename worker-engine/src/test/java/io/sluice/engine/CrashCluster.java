package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.InstanceRecord;
import io.sluice.cluster.durable.Recorded;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of one crash-fuzzer case ({@link EngineCrashFuzzTest}): worker engines in memory with
 * the test as their network and their master. Every edge event a worker sends stays unacked with
 * its sender until delivered: delivery journals it for the receiver ({@code accepted}), hands it to
 * the receiver's engine, then acks it. Deliveries and completions of parked calls happen one at a
 * time in seeded random order, some events delayed, some delivered again (duplicates).
 *
 * <p>{@link #crash} kills a worker as {@code kill -9} would: it writes nothing more (journal,
 * events, part results), its parked calls never return, half of its unacked events are lost; then
 * for every running instance a random live worker adopts each part the dead one held (its own, and
 * parts it had adopted itself), and events addressed to those parts go to the adopter from then on
 * (the unacked ones included).
 */
final class CrashCluster implements AutoCloseable {
  /** An unacked edge event from worker {@code from} to the part of worker {@code to}. */
  private record Msg(String from, String to, EdgeEvent event, long notBefore) {}

  /** A part to start at a tick. */
  private record Start(long tick, String instanceId, String worker) {}

  /** What happened in a case (summed over cases by the test). */
  static final class Figures {
    long delivered;
    long duplicates;
    long delays;
    long crashes;
    long adoptions;
    long lostEvents;
    long lostCalls;
  }

  final Figures figures = new Figures();
  private final Map<String, WorkerEngine> engines = new LinkedHashMap<>();
  private final CallLedger ledger;
  private final SplittableRandom random;
  private final WorkflowKey key;
  private final WorkflowGraph graph;
  private final Map<String, String> placement;

  /** What engine threads hand the test: sent events, parked calls, and wake-ups (part ends). */
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

  private static final Object WAKE = new Object();
  private final List<Msg> pending = new ArrayList<>();
  private final List<CallLedger.Parked> parked = new ArrayList<>();
  private final List<Start> starts = new ArrayList<>();
  private final Map<String, JsonNode> inputs = new LinkedHashMap<>();
  private final Map<String, InstanceCompletion> completions = new ConcurrentHashMap<>();
  final Map<String, CompletableFuture<InstanceCompletion.Outcome>> outcomes =
      new ConcurrentHashMap<>();

  /** Instance id to (part's worker to the live worker holding it), for moved parts. */
  private final Map<String, Map<String, String>> moved = new HashMap<>();

  private long tick;

  /** How often the test waited for engine threads (nothing to deliver, nothing to complete). */
  long idle;

  CrashCluster(
      List<String> workers,
      FunctionRuntimes base,
      CallLedger ledger,
      SplittableRandom random,
      WorkflowKey key,
      WorkflowGraph graph,
      Map<String, String> placement) {
    this.ledger = ledger;
    this.random = random;
    this.key = key;
    this.graph = graph;
    this.placement = Map.copyOf(placement);
    ledger.onPark(inbox::add);
    EngineOptions options = EngineOptions.of(base).withThreads(1).withRecordHistory(false);
    for (String w : workers) {
      WorkerEngine e = WorkerEngine.create(w, options, router(w), List.of(ledger.runtime(w)));
      e.journal(ledger.journal(w));
      e.deploy(key, graph, placement, Binding.defaults());
      engines.put(w, e);
    }
  }

  private EventRouter router(String worker) {
    return new EventRouter() {
      @Override
      public void send(String to, EdgeEvent e) {
        if (!ledger.dead.contains(worker)) {
          inbox.add(new Msg(worker, to, e, 0));
        }
      }

      @Override
      public void partFinished(PartResult r) {
        if (!ledger.dead.contains(worker)) {
          completions
              .get(r.instanceId())
              .accept(r)
              .ifPresent(out -> outcomes.get(r.instanceId()).complete(out));
          inbox.add(WAKE);
        }
      }
    };
  }

  /** Adds an instance (the master journals its start); its parts start at random ticks. */
  void add(String instanceId, JsonNode input) {
    TreeSet<String> used = new TreeSet<>(placement.values());
    ledger.journal.started(new InstanceRecord(instanceId, key, input, placement, 0L, null));
    inputs.put(instanceId, input);
    completions.put(instanceId, new InstanceCompletion(graph, input, used));
    outcomes.put(instanceId, new CompletableFuture<>());
    for (String w : used) {
      int at = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 12);
      starts.add(new Start(tick + at, instanceId, w));
    }
  }

  boolean done() {
    return outcomes.values().stream().allMatch(CompletableFuture::isDone);
  }

  /** Runs until every instance ended, crashing workers when the delivered count reaches them. */
  void run(List<Long> crashAt, long deadlineNanos) throws InterruptedException {
    List<Long> crashes = new ArrayList<>(crashAt);
    while (!done()) {
      if (System.nanoTime() > deadlineNanos) {
        throw new AssertionError("instances did not end: " + describe());
      }
      if (!crashes.isEmpty() && figures.delivered >= crashes.get(0)) {
        crashes.remove(0);
        List<String> live = live();
        if (live.size() >= 2) {
          crash(live.get(random.nextInt(live.size())));
        }
      }
      if (!step()) {
        idle++;
        Object m = inbox.poll(1, TimeUnit.MILLISECONDS); // engine threads are working
        if (m != null && m != WAKE) {
          inbox.add(m);
        }
      }
    }
    // Duplicates and late events still unacked after the end must change nothing.
    drainInbox();
    for (Msg m : pending) {
      deliver(m);
    }
    pending.clear();
  }

  /** One step: start due parts, then deliver one event or complete one parked call. */
  private boolean step() {
    drainInbox();
    for (int i = starts.size() - 1; i >= 0; i--) {
      Start s = starts.get(i);
      if (s.tick() <= tick) {
        removeAt(starts, i);
        if (!ledger.dead.contains(s.worker())) {
          engines.get(s.worker()).start(s.instanceId(), key, inputs.get(s.instanceId()));
        }
      }
    }
    int total = pending.size() + parked.size();
    if (total == 0) {
      if (!starts.isEmpty()) {
        tick++;
        return true;
      }
      return false;
    }
    int i = random.nextInt(total);
    tick++;
    if (i >= pending.size()) {
      CallLedger.Parked p = removeAt(parked, i - pending.size());
      p.call().complete(p.out());
      return true;
    }
    Msg m = pending.get(i);
    if (m.notBefore() > tick) {
      return true; // delayed: time passes
    }
    removeAt(pending, i);
    deliver(m);
    if (random.nextInt(4) == 0) { // deliver it again, later
      figures.duplicates++;
      pending.add(new Msg(m.from(), m.to(), m.event(), tick + random.nextInt(0, 4)));
    }
    return true;
  }

  private void drainInbox() {
    for (Object o; (o = inbox.poll()) != null; ) {
      if (o instanceof CallLedger.Parked p) {
        parked.add(p);
        continue;
      }
      if (!(o instanceof Msg)) {
        continue;
      }
      Msg m = (Msg) o;
      if (random.nextInt(5) == 0) {
        figures.delays++;
        m = new Msg(m.from(), m.to(), m.event(), tick + random.nextInt(1, 12));
      }
      pending.add(m);
    }
  }

  /** Journals the event for its receiver (the part's holder), hands it over; that acks it. */
  private void deliver(Msg m) {
    String instanceId = m.event().instanceId();
    String to = m.to();
    if (ledger.dead.contains(to)) {
      to = moved.getOrDefault(instanceId, Map.of()).get(to);
      if (to == null || ledger.dead.contains(to)) {
        // The instance had ended when the part's worker (or its adopter) died: nobody holds it.
        assert outcomes.get(instanceId).isDone();
        return;
      }
    }
    ledger.journal(to).accepted(List.of(m.event()));
    engines.get(to).receive(m.event());
    figures.delivered++;
  }

  /** Kills {@code worker} and has live workers adopt its parts of running instances. */
  void crash(String worker) {
    drainInbox();
    ledger.dead.add(worker);
    figures.crashes++;
    for (int i = pending.size() - 1; i >= 0; i--) {
      if (pending.get(i).from().equals(worker) && random.nextBoolean()) {
        removeAt(pending, i); // its sender's outbox died with it
        figures.lostEvents++;
      }
    }
    for (int i = parked.size() - 1; i >= 0; i--) {
      if (parked.get(i).worker().equals(worker)) {
        removeAt(parked, i); // running when it died: never returns
        figures.lostCalls++;
      }
    }
    engines.get(worker).close();
    List<String> live = live();
    for (String id : inputs.keySet()) {
      if (outcomes.get(id).isDone()) {
        continue;
      }
      Map<String, String> parts = moved.computeIfAbsent(id, k -> new HashMap<>());
      List<String> held = new ArrayList<>();
      if (placement.containsValue(worker)) {
        held.add(worker);
      }
      parts.forEach(
          (part, holder) -> {
            if (holder.equals(worker)) {
              held.add(part);
            }
          });
      if (held.isEmpty()) {
        continue;
      }
      String adopter = live.get(random.nextInt(live.size()));
      Recorded rec = ledger.journal.load(id).toCompletableFuture().join().orElseThrow();
      for (String part : held) {
        engines.get(adopter).adopt(id, key, placement, part, rec);
        parts.put(part, adopter);
        figures.adoptions++;
      }
    }
  }

  private List<String> live() {
    return engines.keySet().stream().filter(w -> !ledger.dead.contains(w)).toList();
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    outcomes.forEach(
        (id, o) -> {
          if (!o.isDone()) {
            b.append("\n  ")
                .append(id)
                .append(" waits for parts ")
                .append(completions.get(id).pendingWorkers())
                .append(", moved ")
                .append(moved.getOrDefault(id, Map.of()));
          }
        });
    return b.append("\n  dead ")
        .append(ledger.dead)
        .append(", unacked events ")
        .append(pending.size())
        .append(", parked calls ")
        .append(parked.size())
        .append(", parts to start ")
        .append(starts.size())
        .toString();
  }

  private static <T> T removeAt(List<T> list, int i) {
    T t = list.get(i);
    T last = list.remove(list.size() - 1);
    if (i < list.size()) {
      list.set(i, last);
    }
    return t;
  }

  @Override
  public void close() {
    for (Map.Entry<String, WorkerEngine> e : engines.entrySet()) {
      if (!ledger.dead.contains(e.getKey())) {
        e.getValue().close();
      }
    }
  }
}

package io.sluice.master.events;

import io.cloudevents.CloudEvent;
import io.sluice.engine.events.Correlator;
import io.sluice.engine.events.EventHolding;
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.engine.events.RecentEvents;
import io.sluice.model.EventWaitNode;
import io.sluice.model.GraphWalk;
import io.sluice.model.WorkflowGraph;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's routing of events that name no instance (docs/architecture.md, Event routing).
 * Workers (and the master's own MasterSP engines) report each event wait that starts or ends, with
 * its event type and correlation key; the master indexes them in a {@link Correlator}. An event is
 * forwarded only to the targets whose waits match its type and key (or that have waits of its type
 * without a key, which test it themselves); each target answers the instances that took it. An
 * event no wait matches is held per {@link EventHolding} (only types a registered workflow waits
 * for) and handed to the first matching wait that starts; one whose hold time ends is counted and
 * passed to the {@code onExpired} its sender gave (a stream source dead-letters it). A redelivered
 * event (same source and id) is reported as a duplicate, not routed again.
 */
public final class EventRouting {
  private static final Logger LOG = LoggerFactory.getLogger(EventRouting.class);

  /** Offer rounds per event when waits turn it down (they ended meanwhile); then it is held. */
  static final int MAX_ROUNDS = 3;

  private final Set<String> awaitedTypes = ConcurrentHashMap.newKeySet();
  private final Correlator<RemoteWait> correlator;
  private final RecentEvents recent;
  private final Scheduler scheduler;
  private final Function<String, EventTarget> targets;
  private final Predicate<String> running;
  private final EventCounters counters = new EventCounters();
  private final Map<String, EventTarget> local = new ConcurrentHashMap<>();

  /**
   * @param targets a worker's target by its id; null if unknown
   * @param running whether an instance id is a running instance (waits reported for others are
   *     stale and ignored)
   */
  public EventRouting(
      EventHolding holding,
      Scheduler scheduler,
      Function<String, EventTarget> targets,
      Predicate<String> running) {
    this.correlator = new Correlator<>(holding, scheduler, awaitedTypes::contains);
    this.recent = new RecentEvents(holding.rememberedIds());
    this.scheduler = scheduler;
    this.targets = name -> local.containsKey(name) ? local.get(name) : targets.apply(name);
    this.running = running;
  }

  private volatile Function<CloudEvent, CompletionStage<EventOutcome>> starts =
      e -> CompletableFuture.completedFuture(EventOutcome.unmatched(""));

  /**
   * What else takes events that name no instance: the master's schedules ({@code schedule.on}),
   * offered each event after the waits; the outcome reported and counted is both together.
   */
  public void startsOn(Function<CloudEvent, CompletionStage<EventOutcome>> trigger) {
    this.starts = trigger;
  }

  /** A target in the master itself (a MasterSP engine), reporting its waits with its name. */
  public void addLocal(String name, EventTarget target) {
    local.put(name, target);
  }

  /** A local target closed: it and its waits are gone. */
  public void removeLocal(String name) {
    local.remove(name);
    targetGone(name);
  }

  public EventCounters counters() {
    return counters;
  }

  /** The index and held events, for metrics and tests. */
  public Correlator<?> correlator() {
    return correlator;
  }

  /** A registered workflow's event types (nested graphs too) may be held for. */
  public void workflowRegistered(WorkflowGraph graph) {
    GraphWalk.nodes(graph)
        .map(GraphWalk.NestedNode::node)
        .filter(n -> n instanceof EventWaitNode)
        .forEach(n -> awaitedTypes.add(((EventWaitNode) n).eventType()));
  }

  /**
   * Waits started or ended on {@code target}, in order. A wait that starts takes a held event it
   * matches, which is then offered to the target.
   */
  public void waitsChanged(String target, List<EventWaitChange> changes, boolean checkRunning) {
    for (EventWaitChange c : changes) {
      if (!c.active()) {
        correlator.remove(c.waitId());
        continue;
      }
      if (checkRunning && !running.test(c.instanceId())) {
        continue; // reported after its instance ended
      }
      RemoteWait w = new RemoteWait(c.waitId(), c.instanceId(), c.key(), target);
      Correlator.Held held = correlator.add(w);
      if (held != null) {
        offerHeld(held, w);
      }
    }
  }

  /**
   * Hands a held event to the wait that took it. If its target turns it down (the wait ended
   * meanwhile) it is routed again from where it was: other waits, else held with its first arrival
   * time; if it can be neither, its sender hears of it as if it had expired.
   */
  private void offerHeld(Correlator.Held h, RemoteWait w) {
    CloudEvent event = h.event();
    Correlator.Match<RemoteWait> only = new Correlator.Match<>(List.of(w), false, "");
    attempt(event, only, h.arrivedMillis(), h.onExpired(), new HashSet<>(), 1)
        .whenComplete(
            (o, ex) -> {
              if (ex != null || !o.accepted()) {
                LOG.warn(
                    "held event {} could not be delivered or held again: {}",
                    event.getId(),
                    ex != null ? ex.toString() : o.detail());
                if (h.onExpired() != null) {
                  h.onExpired().accept(event);
                }
              }
            });
  }

  /** An instance ended: its waits (if any were left) leave the index. */
  public void instanceEnded(String instanceId) {
    correlator.removeInstance(instanceId);
  }

  /** A target went away (a lost worker, a closed engine): its waits leave the index. */
  public void targetGone(String target) {
    correlator.removeAll(w -> w.target().equals(target));
  }

  /** Counts an outcome decided elsewhere (an event addressed to an instance). */
  public EventOutcome count(EventOutcome o) {
    counters.count(o);
    return o;
  }

  /**
   * Routes an event that names no instance; {@code onExpired} (may be null) hears of it if it is
   * held and its hold time ends unmatched.
   */
  public CompletionStage<EventOutcome> route(CloudEvent event, Consumer<CloudEvent> onExpired) {
    EventOutcome before = recent.begin(event);
    if (before != null) {
      return CompletableFuture.completedFuture(count(before));
    }
    long arrived = scheduler.currentTimeMillis();
    Correlator.Match<RemoteWait> m = correlator.route(event, onExpired);
    return attempt(event, m, arrived, onExpired, new HashSet<>(), 1)
        .handle(
            (o, ex) ->
                ex == null ? o : EventOutcome.unmatched("routing failed: " + ex.getMessage()))
        .thenCompose(o -> starts.apply(event).thenApply(s -> both(o, s)))
        .handle(
            (o, ex) -> {
              EventOutcome out =
                  ex == null ? o : EventOutcome.unmatched("routing failed: " + ex.getMessage());
              recent.finish(event, out);
              return count(out);
            });
  }

  /** What the waits and the schedules did with one event, together. */
  private static EventOutcome both(EventOutcome waits, EventOutcome schedules) {
    if (schedules.instances().isEmpty() && !schedules.held()) {
      return waits;
    }
    if (waits.instances().isEmpty() && !waits.held()) {
      return schedules;
    }
    List<String> ids = new ArrayList<>(waits.instances());
    ids.addAll(schedules.instances());
    return new EventOutcome(
        ids, waits.held() || schedules.held(), false, ids.isEmpty() ? waits.detail() : "delivered");
  }

  private CompletionStage<EventOutcome> attempt(
      CloudEvent event,
      Correlator.Match<RemoteWait> m,
      long arrived,
      Consumer<CloudEvent> onExpired,
      Set<String> tried,
      int round) {
    if (m.waits().isEmpty()) {
      return CompletableFuture.completedFuture(
          m.held() ? EventOutcome.held(m.detail()) : EventOutcome.unmatched(m.detail()));
    }
    Map<String, List<RemoteWait>> byTarget = new LinkedHashMap<>();
    for (RemoteWait w : m.waits()) {
      byTarget.computeIfAbsent(w.target(), k -> new ArrayList<>()).add(w);
      tried.add(w.waitId());
    }
    List<CompletableFuture<List<String>>> calls = new ArrayList<>();
    for (String name : byTarget.keySet()) {
      EventTarget t = targets.apply(name);
      if (t == null) {
        continue;
      }
      calls.add(
          t.offer(event)
              .toCompletableFuture()
              .exceptionally(
                  ex -> {
                    LOG.warn(
                        "offering event {} to {} failed: {}", event.getId(), name, ex.toString());
                    return List.of();
                  }));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenCompose(
            v -> {
              Set<String> ids = new LinkedHashSet<>();
              calls.forEach(c -> ids.addAll(c.join()));
              if (!ids.isEmpty()) {
                return CompletableFuture.completedFuture(EventOutcome.matched(List.copyOf(ids)));
              }
              Correlator.Match<RemoteWait> again =
                  correlator.reroute(event, arrived, onExpired, tried);
              if (!again.waits().isEmpty() && round >= MAX_ROUNDS) {
                return CompletableFuture.completedFuture(
                    EventOutcome.unmatched(
                        "the waits it matched turned it down " + round + " times (they ended)"));
              }
              return attempt(event, again, arrived, onExpired, tried, round + 1);
            });
  }
}

package io.sluice.engine.internal;

import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.engine.events.Correlator;
import io.sluice.engine.events.EventHolding;
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.engine.events.EventWaitListener;
import io.sluice.engine.events.RecentEvents;
import io.sluice.model.EventWaitNode;
import io.sluice.model.GraphWalk;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One engine's external events (docs/architecture.md, Event routing): an event addressed to an
 * instance (the {@code sluiceinstance} extension, or a subject that is a known instance's id) goes
 * to it; one that names no instance goes to the instances whose started event waits match it, found
 * in a {@link Correlator} by type and correlation key. Standalone (embedded), unmatched events of a
 * type some deployed workflow waits for are held per {@link EventHolding}; under a router (a worker
 * under the master, a MasterSP engine) the router holds, and hears of every wait through the {@link
 * EventWaitListener}.
 */
final class EngineEvents {
  static final String INSTANCE_EXTENSION = "sluiceinstance";

  private final Set<String> awaitedTypes = ConcurrentHashMap.newKeySet();
  private final Correlator<LocalWait> correlator;
  private final RecentEvents recent;
  private final EventWaitListener listener;

  EngineEvents(EngineContext ctx, EventHolding holding, EventWaitListener listener) {
    this.correlator = new Correlator<>(holding, ctx.scheduler, awaitedTypes::contains);
    this.recent = new RecentEvents(holding.rememberedIds());
    this.listener = listener;
  }

  Correlator<LocalWait> correlator() {
    return correlator;
  }

  /** A deployed workflow's event types (nested graphs too) may be held for. */
  void deployed(WorkflowGraph graph) {
    GraphWalk.nodes(graph)
        .map(GraphWalk.NestedNode::node)
        .filter(n -> n instanceof EventWaitNode)
        .forEach(n -> awaitedTypes.add(((EventWaitNode) n).eventType()));
  }

  /**
   * A wait started on the instance's thread: indexes it and tells the listener; returns a held
   * event it takes at once, or null.
   */
  CloudEvent started(LocalWait w) {
    // Indexed here before the router hears of it, so an event the router forwards finds it.
    Correlator.Held taken = correlator.add(w);
    if (listener != null) {
      listener.changed(new EventWaitChange(true, w.waitId(), w.instanceId(), w.key()));
    }
    return taken == null ? null : taken.event();
  }

  /** A wait ended (took an event, failed, timed out, or its instance ended). */
  void ended(LocalWait w) {
    if (correlator.remove(w.waitId()) && listener != null) {
      listener.changed(new EventWaitChange(false, w.waitId(), w.instanceId(), w.key()));
    }
  }

  /** Routes an external event; see the class comment. */
  EventOutcome route(CloudEvent event, java.util.function.Function<String, Instance> instances) {
    Object ext = event.getExtension(INSTANCE_EXTENSION);
    String named = ext != null ? ext.toString() : null;
    Instance inst = named != null ? instances.apply(named) : null;
    if (named == null && event.getSubject() != null) {
      inst = instances.apply(event.getSubject()); // the subject names an instance (compatible)
      named = inst == null ? null : event.getSubject();
    }
    if (named != null) {
      if (inst == null || inst.state() != InstanceState.RUNNING) {
        return EventOutcome.unmatched("instance " + named + " is not running here");
      }
      CloudEvent addressed =
          ext != null
              ? event
              : io.cloudevents.core.builder.CloudEventBuilder.from(event)
                  .withExtension(INSTANCE_EXTENSION, named)
                  .build();
      inst.post(TriggerEvent.external(-1, 0, addressed, inst.now()));
      return EventOutcome.matched(List.of(rootOf(inst).id));
    }
    EventOutcome before = recent.begin(event);
    if (before != null) {
      return before;
    }
    EventOutcome out = correlate(event);
    recent.finish(event, out);
    return out;
  }

  private EventOutcome correlate(CloudEvent event) {
    Correlator.Match<LocalWait> m = correlator.route(event, null);
    Set<String> roots = new LinkedHashSet<>();
    Set<Instance> posted = new LinkedHashSet<>();
    for (LocalWait w : m.waits()) {
      if (w.instance().state() == InstanceState.RUNNING && posted.add(w.instance())) {
        w.instance().post(TriggerEvent.external(-1, 0, event, w.instance().now()));
        roots.add(w.instanceId());
      }
    }
    if (!roots.isEmpty()) {
      return EventOutcome.matched(new ArrayList<>(roots));
    }
    return m.held() ? EventOutcome.held(m.detail()) : EventOutcome.unmatched(m.detail());
  }

  static Instance rootOf(Instance inst) {
    Instance r = inst;
    while (r.parent != null) {
      r = r.parent;
    }
    return r;
  }
}

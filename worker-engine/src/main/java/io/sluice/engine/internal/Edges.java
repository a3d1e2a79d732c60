package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The life cycle of one edge in one instance, as a transition table, and the join it feeds. An edge
 * resolves once — carrying its source's result, or skipped (null) — so a redelivered edge event
 * never counts twice. Where it goes is the instance's {@link InstanceScope}'s call: into the join
 * of a local target, to the worker of a remote one, or through the store first.
 */
final class Edges {
  private Edges() {}

  /** An edge's states, stored as ordinals (a byte per edge). */
  enum State {
    PENDING,
    /** Its value went through the store and is being fetched back. */
    FETCHING,
    RESOLVED
  }

  /** What happens to an edge. */
  enum Event {
    /** It resolved with a value (or skipped) for a target on this worker. */
    LOCAL,
    /** It resolved for a target on another worker. */
    REMOTE,
    /** It resolved to a reference into the store, for a target on this worker. */
    BY_REFERENCE,
    /** The value of a BY_REFERENCE edge was fetched back. */
    FETCHED
  }

  /** Marks an EDGE mailbox event as carrying a fetched value (its {@code index}). */
  static final int FETCHED_MARK = 1;

  static final StateMachine<State, Event, Instance> TABLE =
      StateMachine.<State, Event, Instance>builder("edge", State.class, Event.class, State.PENDING)
          .description(
              "One edge of one instance. REMOTE and BY_REFERENCE happen in a cluster only (the"
                  + " partitioned scope decides them); a redelivered edge event is a LOCAL event"
                  + " of a RESOLVED edge.")
          .describer(
              (inst, edge) ->
                  "edge "
                      + edge
                      + " ("
                      + inst.wf.triggers[inst.wf.edgeFrom[edge]].nodeId
                      + " -> "
                      + inst.wf.triggers[inst.wf.edgeTo[edge]].nodeId
                      + ") of instance "
                      + inst.id
                      + "; history: "
                      + CloudEvents.describe(inst.historySnapshot(), inst.id, inst.wf))
          .row(
              State.PENDING,
              Event.LOCAL,
              State.RESOLVED,
              "INPUT to the target node",
              (inst, edge, aux, payload) -> {
                inst.scope.countLocal(inst, (JsonNode) payload);
                input(inst, edge, (JsonNode) payload);
              })
          .row(
              State.PENDING,
              Event.REMOTE,
              State.RESOLVED,
              "send an edge event to the target's worker",
              (inst, edge, aux, payload) -> inst.scope.send(inst, edge, (JsonNode) payload))
          .row(
              State.PENDING,
              Event.BY_REFERENCE,
              State.FETCHING,
              "fetch the value from the store",
              (inst, edge, aux, payload) -> inst.scope.fetch(inst, edge, (JsonNode) payload))
          .row(
              State.FETCHING,
              Event.FETCHED,
              State.RESOLVED,
              "INPUT to the target node",
              (inst, edge, aux, payload) -> input(inst, edge, (JsonNode) payload))
          .ignore(State.RESOLVED, Event.LOCAL, "a redelivered edge event")
          .build();

  /** Edge {@code edge} resolved here, carrying {@code payload} (null = skipped). */
  static void resolve(Instance inst, int edge, JsonNode payload) {
    if (payload != null) {
      inst.path.carry(edge, inst.wf.edgeFrom[edge]);
    }
    route(inst, edge, payload);
  }

  private static void route(Instance inst, int edge, JsonNode payload) {
    inst.edge(edge, inst.scope.route(inst, edge, payload), payload);
  }

  /**
   * An EDGE event from the mailbox: from another worker (with the critical path through its
   * source), or a value fetched back (with the fetch's time).
   */
  static void arrived(Instance inst, TriggerEvent e) {
    if (e.index() == FETCHED_MARK) {
      inst.path.fetched(e.node(), e.dataNanos());
      inst.edge(e.node(), Event.FETCHED, e.payload());
    } else {
      inst.path.arrived(e.node(), e.computeNanos(), e.dataNanos());
      route(inst, e.node(), e.payload());
    }
  }

  private static void input(Instance inst, int edge, JsonNode payload) {
    inst.node(inst.wf.edgeTo[edge], NodeMachine.Event.INPUT, edge, payload);
  }

  /** The INPUT action of a waiting node: count the edge into its join, decide. */
  static void countIntoJoin(Instance inst, int t, int edge, JsonNode payload) {
    if (payload != null) {
      inst.edgePayload[edge] = payload;
      inst.active[t]++;
    }
    inst.resolved[t]++;
    int decision = inst.wf.triggers[t].decide(inst.resolved[t], inst.active[t]);
    if (decision > 0) {
      inst.node(t, NodeMachine.Event.JOIN_MET, 0, null);
    } else if (decision < 0) {
      inst.node(t, NodeMachine.Event.JOIN_FAILED, 0, null);
    }
  }
}

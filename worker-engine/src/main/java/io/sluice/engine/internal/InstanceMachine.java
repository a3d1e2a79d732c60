package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.runtime.FunctionException;
import java.time.Duration;

/**
 * The life cycle of an instance, as a transition table, and how a mailbox event becomes an event of
 * the instance, of a node or of an edge.
 */
final class InstanceMachine {
  private InstanceMachine() {}

  /** The instance's states; every one but CREATED is also an {@link InstanceState}. */
  enum Phase {
    CREATED(InstanceState.RUNNING),
    RUNNING(InstanceState.RUNNING),
    COMPLETED(InstanceState.COMPLETED),
    FAILED(InstanceState.FAILED),
    CANCELLED(InstanceState.CANCELLED);

    final InstanceState visible;

    Phase(InstanceState visible) {
      this.visible = visible;
    }
  }

  /** What happens to an instance. */
  enum Event {
    /** Its STARTED event. */
    START,
    /** An event about one of its nodes or edges (result, failure, timer, child, edge, abort). */
    NODE,
    /** An external CloudEvent delivered for the first time. */
    EXTERNAL,
    /** An external CloudEvent with an id delivered before. */
    EXTERNAL_DUPLICATE,
    /** Every local node completed or was skipped (arg = output). */
    ALL_RESOLVED,
    /** A node failed for good, an end node failed it, an edge's value was lost (arg = error). */
    FAIL,
    /** Cancelled by a caller or by its parent. */
    CANCEL
  }

  static final StateMachine<Phase, Event, Instance> TABLE = table();

  private static StateMachine<Phase, Event, Instance> table() {
    StateMachine.Builder<Phase, Event, Instance> b =
        StateMachine.builder("instance", Phase.class, Event.class, Phase.CREATED);
    b.description(
            "One instance (a root, a map item, a loop round, a sub-workflow, or one worker's part"
                + " of a partitioned instance). A finished instance tolerates whatever still"
                + " arrives: results of calls in flight, timers, cancels, external events.")
        .describer(
            (inst, ignored) ->
                "instance "
                    + inst.id
                    + "; history: "
                    + CloudEvents.describe(inst.historySnapshot(), inst.id, inst.wf));
    b.row(
            Phase.CREATED,
            Event.START,
            Phase.RUNNING,
            "enter the entry nodes",
            (inst, s, aux, arg) -> start(inst, (TriggerEvent) arg))
        .row(
            Phase.RUNNING,
            Event.NODE,
            Phase.RUNNING,
            "drive the node or edge",
            (inst, s, aux, arg) -> onNodeEvent(inst, (TriggerEvent) arg))
        .row(
            Phase.RUNNING,
            Event.EXTERNAL,
            Phase.RUNNING,
            "give it to an event wait, or hold it",
            (inst, s, aux, arg) -> inst.actions.onExternal((TriggerEvent) arg))
        .ignore(Phase.RUNNING, Event.EXTERNAL_DUPLICATE, "delivered before")
        .row(
            Phase.RUNNING,
            Event.ALL_RESOLVED,
            Phase.COMPLETED,
            "publish the output",
            (inst, s, aux, arg) -> finish(inst, Phase.COMPLETED, (JsonNode) arg, null))
        .row(
            Phase.RUNNING,
            Event.FAIL,
            Phase.FAILED,
            "publish the error, cancel timers and children",
            (inst, s, aux, arg) -> finish(inst, Phase.FAILED, null, (InstanceError) arg))
        .row(
            Phase.RUNNING,
            Event.CANCEL,
            Phase.CANCELLED,
            "cancel timers and children",
            (inst, s, aux, arg) -> {
              inst.record((TriggerEvent) arg);
              finish(inst, Phase.CANCELLED, null, null);
            });
    for (Phase end : new Phase[] {Phase.COMPLETED, Phase.FAILED, Phase.CANCELLED}) {
      b.ignore(end, Event.NODE, "the instance ended (a call in flight, a timer, a child)")
          .ignore(end, Event.EXTERNAL, "the instance ended")
          .ignore(end, Event.EXTERNAL_DUPLICATE, "the instance ended")
          .ignore(end, Event.CANCEL, "the instance ended");
    }
    return b.build();
  }

  /** Turns a mailbox event into an event of the instance's table. */
  static void receive(Instance inst, TriggerEvent e) {
    switch (e.kind()) {
      case STARTED -> inst.instance(Event.START, e);
      case CANCEL -> inst.instance(Event.CANCEL, e);
      case EXTERNAL ->
          inst.instance(
              inst.actions.waits().firstDelivery(e.external())
                  ? Event.EXTERNAL
                  : Event.EXTERNAL_DUPLICATE,
              e);
      default -> inst.instance(Event.NODE, e);
    }
  }

  private static void start(Instance inst, TriggerEvent e) {
    inst.record(e);
    // Validation rejects nodes no path from an entry reaches, so every other node has inputs.
    for (int k : inst.wf.entries) {
      if (inst.scope.local(k)) {
        inst.node(k, NodeMachine.Event.ENTER, 0, null);
      }
    }
    NodeOutcomes.checkDone(inst);
  }

  /** Whether an event is about the node's current attempt (any other is late). */
  private static boolean current(Instance inst, TriggerEvent e) {
    return inst.nodeState[e.node()] == NodeState.RUNNING_ORDINAL
        && inst.attempts[e.node()] == e.attempt();
  }

  /** A node or edge event of a running instance: which event of which table it is. */
  private static void onNodeEvent(Instance inst, TriggerEvent e) {
    int k = e.node();
    switch (e.kind()) {
      case EDGE -> {
        inst.record(e);
        Edges.arrived(inst, e);
      }
      case ABORT -> {
        inst.record(e);
        inst.fail(
            new InstanceError(inst.wf.triggers[k].nodeId, e.error().type(), e.error().message()));
      }
      case RETRY -> {
        if (inst.nodeState[k] == NodeState.RETRY_WAIT_ORDINAL && inst.attempts[k] == e.attempt()) {
          inst.record(e);
          inst.node(k, NodeMachine.Event.RETRY_DUE, 0, null);
        } else {
          inst.node(k, NodeMachine.Event.LATE_RESULT, 0, e);
        }
      }
      default -> {
        if (!current(inst, e)) {
          inst.node(k, NodeMachine.Event.LATE_RESULT, 0, e);
          return;
        }
        switch (e.kind()) {
          case COMPLETED -> {
            inst.record(e);
            inst.path.add(k, e.computeNanos(), 0);
            NodeOutcomes.result(inst, k, e.payload(), -1);
          }
          case FAILED -> {
            inst.record(e);
            inst.path.add(k, e.computeNanos(), 0);
            NodeOutcomes.failure(inst, k, e.error());
          }
          case TIMER -> {
            inst.record(e);
            NodeOutcomes.result(inst, k, inst.nodeInput[k], -1);
          }
          case TIMEOUT -> {
            inst.record(e);
            Duration t = inst.wf.triggers[k].node.options().timeout();
            NodeOutcomes.failure(
                inst,
                k,
                new ErrorInfo(FunctionException.TIMEOUT, "attempt took longer than " + t, true));
          }
          case CHILD_DONE -> {
            inst.record(e);
            if (inst.wf.triggers[k].action == Action.RUN_LOOP) {
              inst.path.add(k, e.computeNanos(), e.dataNanos()); // rounds run one after another
            } else {
              inst.path.child(k, e.computeNanos(), e.dataNanos());
            }
            inst.node(k, NodeMachine.Event.CHILD_DONE, 0, e);
          }
          case EXPORTED -> {
            inst.path.add(k, 0, e.dataNanos());
            inst.node(k, NodeMachine.Event.EXPORTED, 0, e.payload());
          }
          default -> throw new IllegalStateException("unexpected event kind " + e.kind());
        }
      }
    }
  }

  private static void finish(Instance inst, Phase end, JsonNode out, InstanceError err) {
    inst.output = out;
    inst.error = err;
    inst.endNanos = inst.ctx.scheduler.nanoTime();
    inst.state = end.visible;
    Kind kind =
        switch (end) {
          case COMPLETED -> Kind.INSTANCE_COMPLETED;
          case FAILED -> Kind.INSTANCE_FAILED;
          default -> Kind.INSTANCE_CANCELLED;
        };
    inst.record(TriggerEvent.of(kind, -1, 0, out, inst.now()));
    inst.timers.cancelAll();
    inst.actions.endAllWaits();
    FanOut.cancelAll(inst);
    inst.clearReady();
    if (inst.parent != null && end != Phase.CANCELLED) {
      inst.parent.post(
          new TriggerEvent(
              Kind.CHILD_DONE,
              inst.parentNode,
              inst.parentAttempt,
              inst.parentIndex,
              out,
              err == null
                  ? null
                  : new ErrorInfo(err.type(), err.nodeId() + ": " + err.message(), true),
              null,
              inst.now(),
              inst.path.compute(),
              inst.path.data()));
    }
    if (end != Phase.CANCELLED) {
      inst.scope.finished(inst, end.visible, err);
    }
    io.sluice.cluster.api.InstanceStatus status = inst.status();
    inst.ctx.engine.finished(inst, status);
    inst.done.complete(status);
  }
}

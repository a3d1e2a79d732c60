package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import java.util.concurrent.CompletableFuture;

/**
 * The life cycle of one node in one instance, as a transition table. The instance raises these
 * events; the table says which are legal in which state, the next state, and the action.
 */
final class NodeMachine {
  private NodeMachine() {}

  /** What happens to a node. */
  enum Event {
    /** The instance started and the node is an entry. */
    ENTER,
    /** One of its incoming edges resolved (aux = the edge, arg = its payload or null). */
    INPUT,
    /** Its join holds. */
    JOIN_MET,
    /** Its join can no longer hold. */
    JOIN_FAILED,
    /** Taken from the ready queue to run. */
    FIRE,
    /** Taken from the ready queue to be skipped. */
    SKIP,
    /** The current attempt produced its (mapped) result (arg; aux = chosen branch or -1). */
    RESULT,
    /** The current attempt's result must be exported before its edges resolve (arg). */
    EXPORT,
    /** The export of the current attempt's result finished (arg = value or reference). */
    EXPORTED,
    /** The current attempt failed, and the retry policy retries it (arg = error). */
    RETRY,
    /** The current attempt failed for good, and a catcher takes the error (arg = error). */
    CAUGHT,
    /** The current attempt failed for good, and nothing catches it (arg = instance error). */
    FATAL,
    /** The backoff before the next attempt passed. */
    RETRY_DUE,
    /** A child of the current attempt (map item, loop round, sub-workflow) ended (arg). */
    CHILD_DONE,
    /**
     * The node is a running event wait whose every successor already decided without it (a join of
     * the first result took another): it stops waiting and resolves as skipped.
     */
    WITHDRAW,
    /** A result, failure, timer, child or retry of an attempt that is no longer current. */
    LATE_RESULT
  }

  /** An export under way: the result it holds back and the branch it takes. */
  record PendingExport(JsonNode result, int branch, CompletableFuture<JsonNode> future) {}

  static final StateMachine<NodeState, Event, Instance> TABLE = table();

  private static StateMachine<NodeState, Event, Instance> table() {
    StateMachine.Builder<NodeState, Event, Instance> b =
        StateMachine.builder("node", NodeState.class, Event.class, NodeState.WAITING);
    b.description(
            "One node of one instance (ready and skipped nodes go through the ready queue, so a"
                + " long chain needs no stack). An attempt-scoped event (result, failure, timer,"
                + " timeout, child, export, retry) counts only for the node's current attempt;"
                + " any other is LATE_RESULT.")
        .describer(
            (inst, k) ->
                "node '"
                    + inst.wf.triggers[k].nodeId
                    + "' of instance "
                    + inst.id
                    + "; history: "
                    + CloudEvents.describe(inst.historySnapshot(), inst.id, inst.wf));
    b.row(NodeState.WAITING, Event.ENTER, NodeState.READY, "queue to fire", Ops::queueFire)
        .row(NodeState.WAITING, Event.INPUT, NodeState.WAITING, "count into the join", Ops::input)
        .row(
            NodeState.WAITING,
            Event.JOIN_MET,
            NodeState.READY,
            "queue to fire; withdraw the event waits a quorum join left behind",
            (inst, k, aux, arg) -> {
              inst.enqueue(k);
              NodeOutcomes.withdrawLosers(inst, k);
            })
        .row(
            NodeState.WAITING,
            Event.JOIN_FAILED,
            NodeState.SKIPPING,
            "queue to skip",
            Ops::queueSkip);
    for (NodeState decided :
        new NodeState[] {
          NodeState.READY,
          NodeState.RUNNING,
          NodeState.RETRY_WAIT,
          NodeState.COMPLETED,
          NodeState.FAILED,
          NodeState.SKIPPING,
          NodeState.SKIPPED
        }) {
      b.ignore(decided, Event.INPUT, "the join already decided (quorum)");
    }
    b.row(
            NodeState.READY,
            Event.FIRE,
            NodeState.RUNNING,
            "map the input, start attempt 1",
            (inst, k, aux, arg) -> inst.actions.fire(k))
        .row(
            NodeState.SKIPPING,
            Event.SKIP,
            NodeState.SKIPPED,
            "resolve the out-edges as skipped",
            (inst, k, aux, arg) -> NodeOutcomes.skipped(inst, k))
        .row(
            NodeState.RUNNING,
            Event.RESULT,
            NodeState.COMPLETED,
            "resolve the out-edges with the result",
            (inst, k, aux, arg) -> NodeOutcomes.completed(inst, k, (JsonNode) arg, aux))
        .row(
            NodeState.RUNNING,
            Event.EXPORT,
            NodeState.RUNNING,
            "hold the result until exported",
            (inst, k, aux, arg) -> NodeOutcomes.awaitExport(inst, k, (PendingExport) arg))
        .row(
            NodeState.RUNNING,
            Event.EXPORTED,
            NodeState.COMPLETED,
            "resolve the out-edges with the held result",
            (inst, k, aux, arg) -> NodeOutcomes.exported(inst, k, (JsonNode) arg))
        .row(
            NodeState.RUNNING,
            Event.RETRY,
            NodeState.RETRY_WAIT,
            "end the attempt, schedule the next",
            (inst, k, aux, arg) -> NodeOutcomes.retry(inst, k, (ErrorInfo) arg))
        .row(
            NodeState.RUNNING,
            Event.CAUGHT,
            NodeState.FAILED,
            "end the attempt, send the error along the catch edge",
            (inst, k, aux, arg) -> NodeOutcomes.caught(inst, k, (ErrorInfo) arg))
        .row(
            NodeState.RUNNING,
            Event.FATAL,
            NodeState.FAILED,
            "end the attempt, fail the instance",
            (inst, k, aux, arg) -> NodeOutcomes.fatal(inst, k, (InstanceError) arg))
        .row(
            NodeState.RETRY_WAIT,
            Event.RETRY_DUE,
            NodeState.RUNNING,
            "start the next attempt",
            (inst, k, aux, arg) -> inst.actions.startAttempt(k))
        .row(
            NodeState.RUNNING,
            Event.CHILD_DONE,
            NodeState.RUNNING,
            "join the child; all joined: RESULT",
            (inst, k, aux, arg) -> FanOut.childDone(inst, k, (TriggerEvent) arg))
        .row(
            NodeState.RUNNING,
            Event.WITHDRAW,
            NodeState.SKIPPED,
            "end the wait, resolve the out-edges as skipped",
            (inst, k, aux, arg) -> NodeOutcomes.withdrawn(inst, k))
        .ignore(NodeState.SKIPPED, Event.LATE_RESULT, "a withdrawn wait's event or timer")
        .ignore(NodeState.RUNNING, Event.LATE_RESULT, "an earlier attempt's (timed out)")
        .ignore(NodeState.RETRY_WAIT, Event.LATE_RESULT, "the failed attempt's, or a duplicate")
        .ignore(NodeState.COMPLETED, Event.LATE_RESULT, "a duplicate, or a timer that lost")
        .ignore(NodeState.FAILED, Event.LATE_RESULT, "the failed attempt's (timed out)");
    return b.build();
  }

  /** Actions shared by several rows. */
  private static final class Ops {
    static void queueFire(Instance inst, int k, int aux, Object arg) {
      inst.enqueue(k);
    }

    static void queueSkip(Instance inst, int k, int aux, Object arg) {
      inst.enqueue(~k);
    }

    static void input(Instance inst, int t, int edge, Object payload) {
      Edges.countIntoJoin(inst, t, edge, (JsonNode) payload);
    }
  }
}

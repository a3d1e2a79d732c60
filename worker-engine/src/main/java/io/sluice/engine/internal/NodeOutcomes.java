package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.RetryPolicy;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * How an attempt ends: {@link #result} and {@link #failure} decide which event of the node table an
 * outcome is (RESULT, EXPORT, RETRY, CAUGHT or FATAL); the other methods are those rows' actions.
 * Runs on the instance's thread.
 */
final class NodeOutcomes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private NodeOutcomes() {}

  // ---- deciding the event ----------------------------------------------------------------------

  /** The current attempt of node {@code k} produced {@code result} (taking switch branch). */
  static void result(Instance inst, int k, JsonNode result, int branch) {
    Expr mapping = inst.wf.triggers[k].node.options().output();
    if (mapping != null) {
      try {
        result =
            JqEvaluator.shared()
                .first(mapping, result, Map.of("input", inst.nodeInput[k], "workflow", inst.input));
      } catch (ExpressionException ex) {
        failure(
            inst,
            k,
            new ErrorInfo(Instance.EXPRESSION_FAILED, "output mapping: " + ex.getMessage(), false));
        return;
      }
    }
    CompletableFuture<JsonNode> export = inst.scope.export(inst, k, result, branch);
    if (export != null) {
      if (!export.isDone()) {
        inst.node(
            k,
            NodeMachine.Event.EXPORT,
            branch,
            new NodeMachine.PendingExport(result, branch, export));
        return;
      }
      try {
        inst.scope.exported(k, export.join());
      } catch (RuntimeException ex) {
        failure(inst, k, Instance.errorOf(ex));
        return;
      }
    }
    inst.node(k, NodeMachine.Event.RESULT, branch, result);
  }

  /** The current attempt of node {@code k} failed: retry it, catch the error, or fail. */
  static void failure(Instance inst, int k, ErrorInfo err) {
    Trigger t = inst.wf.triggers[k];
    RetryPolicy retry = t.node.options().retry();
    if (err.retryable() && inst.attempts[k] < retry.maxAttempts() && retry.retries(err.type())) {
      inst.node(k, NodeMachine.Event.RETRY, 0, err);
    } else if (catcher(t, err) != null) {
      inst.node(k, NodeMachine.Event.CAUGHT, 0, err);
    } else {
      inst.node(
          k, NodeMachine.Event.FATAL, 0, new InstanceError(t.nodeId, err.type(), err.message()));
    }
  }

  private static Catcher catcher(Trigger t, ErrorInfo err) {
    for (Catcher c : t.node.options().catchers()) {
      if (c.catches(err.type())) {
        return c;
      }
    }
    return null;
  }

  // ---- row actions -----------------------------------------------------------------------------

  /** EXPORT: hold the result until its export finishes (then EXPORTED, or a failure). */
  static void awaitExport(Instance inst, int k, NodeMachine.PendingExport p) {
    inst.scope.hold(k, p.result(), p.branch());
    int attempt = inst.attempts[k];
    long t0 = inst.ctx.scheduler.nanoTime();
    p.future()
        .whenComplete(
            (ref, ex) ->
                inst.post(
                    ex == null
                        ? new TriggerEvent(
                            Kind.EXPORTED,
                            k,
                            attempt,
                            0,
                            ref,
                            null,
                            null,
                            inst.now(),
                            0,
                            inst.ctx.scheduler.nanoTime() - t0)
                        : TriggerEvent.failed(k, attempt, Instance.errorOf(ex), inst.now())));
  }

  /** EXPORTED: the held result goes along the edges. */
  static void exported(Instance inst, int k, JsonNode value) {
    NodeMachine.PendingExport held = inst.scope.exported(k, value);
    completed(inst, k, held.result(), held.branch());
  }

  /** RESULT: the node completed; pass the result along its NEXT edges (or its branch). */
  static void completed(Instance inst, int k, JsonNode result, int branch) {
    Trigger t = inst.wf.triggers[k];
    inst.timers.cancel(k);
    inst.nodeInput[k] = null;
    inst.executed++;
    inst.unresolved--;
    Steps.ended(inst, k, io.sluice.engine.NodeSteps.Kind.COMPLETED);
    if (inst.history != null) {
      inst.record(TriggerEvent.of(Kind.COMPLETED, k, inst.attempts[k], result, inst.now()));
    }
    if (t.sink) {
      inst.sinkOutput[k] = result;
    }
    inst.path.completed(t);
    CompiledWorkflow wf = inst.wf;
    for (int e : t.outEdges) {
      Edge.Kind kind = wf.edgeKind[e];
      boolean carries =
          kind == Edge.Kind.NEXT || (kind == Edge.Kind.BRANCH && wf.edgeTo[e] == branch);
      Edges.resolve(inst, e, carries ? result : null);
    }
    checkDone(inst);
  }

  /** SKIP: resolve the node's edges as skipped. */
  static void skipped(Instance inst, int k) {
    inst.skipped++;
    inst.unresolved--;
    Steps.ended(inst, k, io.sluice.engine.NodeSteps.Kind.SKIPPED);
    Trigger t = inst.wf.triggers[k];
    for (int i = 0; i < t.inEdges.length; i++) {
      inst.edgePayload[t.inEdges[i]] = null;
    }
    inst.record(TriggerEvent.of(Kind.SKIPPED, k, 0, null, inst.now()));
    for (int e : t.outEdges) {
      Edges.resolve(inst, e, null);
    }
    checkDone(inst);
  }

  /**
   * A WITHDRAW: the event wait stops (it leaves the engine's index, and on a cluster the master's;
   * its timeout is cancelled) and the node resolves as skipped, which its decided successors
   * ignore.
   */
  static void withdrawn(Instance inst, int k) {
    endAttempt(inst, k);
    skipped(inst, k);
  }

  /**
   * Node {@code k}'s join of the first result(s) held: every predecessor still waiting for an
   * external event that only {@code k}, or other decided nodes, would have taken the result of is
   * withdrawn, so a {@code listen} to any of several event types stops waiting for the others and
   * the instance can end. Predecessors on other workers, and waits with an undecided successor (a
   * catch handler, a task after the wait), keep waiting.
   */
  static void withdrawLosers(Instance inst, int k) {
    Trigger t = inst.wf.triggers[k];
    if (t.quorum == 0) {
      return;
    }
    for (int p : t.inFrom) {
      if (inst.nodeState[p] == NodeState.RUNNING_ORDINAL && unneeded(inst, p)) {
        inst.node(p, NodeMachine.Event.WITHDRAW, 0, null);
      }
    }
  }

  /**
   * Whether event wait {@code k} has successors and every one of them is local and decided without
   * it (so its event would be ignored).
   */
  static boolean unneeded(Instance inst, int k) {
    Trigger t = inst.wf.triggers[k];
    if (t.action != Action.AWAIT_EVENT || t.outEdges.length == 0) {
      return false;
    }
    for (int e : t.outEdges) {
      int to = inst.wf.edgeTo[e];
      if (!inst.scope.local(to) || inst.nodeState[to] == NodeState.WAITING_ORDINAL) {
        return false;
      }
    }
    return true;
  }

  /** Whatever the attempt still has running stops: its timers, event wait and children. */
  private static void endAttempt(Instance inst, int k) {
    inst.timers.cancel(k);
    inst.actions.endWait(k);
    FanOut.cancel(inst, k);
  }

  /**
   * RETRY: the next attempt starts after the policy's backoff, or after the wait the failure asked
   * for ({@code Retry-After}) when that is longer.
   */
  static void retry(Instance inst, int k, ErrorInfo err) {
    endAttempt(inst, k);
    Steps.ended(
        inst,
        k,
        io.sluice.engine.NodeSteps.Kind.RETRYING,
        err == null ? null : err.type(),
        err == null ? null : err.message());
    RetryPolicy retry = inst.wf.triggers[k].node.options().retry();
    Duration delay = jitter(inst, retry.backoffBefore(inst.attempts[k] + 1), retry.jitter());
    if (err != null && err.retryAfterNanos() > delay.toNanos()) {
      delay = Duration.ofNanos(err.retryAfterNanos());
    }
    inst.record(TriggerEvent.of(Kind.RETRY, k, inst.attempts[k], null, inst.now()));
    if (delay.isZero()) {
      inst.node(k, NodeMachine.Event.RETRY_DUE, 0, null);
    } else {
      int attempt = inst.attempts[k];
      inst.ctx.scheduler.schedule(
          delay, () -> inst.post(TriggerEvent.of(Kind.RETRY, k, attempt, null, inst.now())));
    }
  }

  /** CAUGHT: the error object goes along the catcher's CATCH edge; the others are skipped. */
  static void caught(Instance inst, int k, ErrorInfo err) {
    endAttempt(inst, k);
    Steps.ended(inst, k, io.sluice.engine.NodeSteps.Kind.FAILED, err.type(), err.message());
    Trigger t = inst.wf.triggers[k];
    String target = catcher(t, err).next();
    inst.executed++;
    inst.unresolved--;
    ObjectNode payload = JSON.objectNode();
    payload.put("error", err.type());
    payload.put("cause", err.message());
    payload.put("node", t.nodeId);
    payload.set("input", inst.nodeInput[k]);
    inst.nodeInput[k] = null;
    boolean routed = false;
    inst.path.completed(t);
    CompiledWorkflow wf = inst.wf;
    for (int e : t.outEdges) {
      boolean carries =
          !routed
              && wf.edgeKind[e] == Edge.Kind.CATCH
              && wf.triggers[wf.edgeTo[e]].nodeId.equals(target);
      routed |= carries;
      Edges.resolve(inst, e, carries ? payload : null);
    }
    checkDone(inst);
  }

  /** FATAL: the instance fails naming the node. */
  static void fatal(Instance inst, int k, InstanceError err) {
    endAttempt(inst, k);
    Steps.ended(inst, k, io.sluice.engine.NodeSteps.Kind.FAILED, err.type(), err.message());
    inst.fail(err);
  }

  private static Duration jitter(Instance inst, Duration d, double jitter) {
    if (jitter == 0 || d.isZero()) {
      return d;
    }
    if (inst.random == null) {
      inst.random = new SplittableRandom(inst.id.hashCode());
    }
    double f = 1 + jitter * (2 * inst.random.nextDouble() - 1);
    return Duration.ofNanos((long) (d.toNanos() * f));
  }

  // ---- the instance's end ----------------------------------------------------------------------

  /** Once every local node resolved: ALL_RESOLVED with the output, or FAIL if it cannot be had. */
  static void checkDone(Instance inst) {
    if (inst.unresolved != 0 || !inst.running()) {
      return;
    }
    Map<String, JsonNode> sinks = new LinkedHashMap<>();
    for (int k = 0; k < inst.sinkOutput.length; k++) {
      if (inst.sinkOutput[k] != null) {
        sinks.put(inst.wf.triggers[k].nodeId, inst.sinkOutput[k]);
      }
    }
    JsonNode output;
    try {
      output = inst.scope.output(inst, sinks);
    } catch (ExpressionException ex) {
      inst.fail(new InstanceError("<output>", Instance.EXPRESSION_FAILED, ex.getMessage()));
      return;
    }
    inst.instance(InstanceMachine.Event.ALL_RESOLVED, output);
  }
}

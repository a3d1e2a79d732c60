package io.sluice.engine.internal;

import io.sluice.engine.CallLogs;
import io.sluice.engine.NodeSteps;
import io.sluice.engine.NodeSteps.Kind;
import io.sluice.runtime.CallTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the engine's {@link NodeSteps} what a node does, as its top-level node: a top-level
 * instance's nodes report their own steps; a map item, loop round or sub-workflow run of a
 * top-level node reports its start and end as that node with {@code item}; the nodes inside it
 * report only their retries and waits (their starts and ends are the item's). With {@link
 * NodeSteps#NONE} each call costs one comparison and allocates nothing. Runs on the instance's
 * thread; what the listener throws is logged and forgotten.
 */
final class Steps {
  private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

  private Steps() {}

  /** Attempt {@code inst.attempts[k]} of node {@code k} started. */
  static void started(Instance inst, int k, int itemsTotal) {
    NodeSteps s = inst.ctx.steps;
    if (s == NodeSteps.NONE || inst.parent != null) {
      return;
    }
    long[] t = inst.stepStart;
    if (t == null) {
      t = inst.stepStart = new long[inst.wf.size()];
    }
    t[k] = inst.ctx.scheduler.nanoTime();
    emit(s, inst, k, Kind.STARTED, 0, null, null, itemsTotal);
  }

  /** Node {@code k} completed ({@code COMPLETED}) or was skipped ({@code SKIPPED}). */
  static void ended(Instance inst, int k, Kind kind) {
    if (inst.ctx.steps == NodeSteps.NONE) {
      return;
    }
    ended(inst, k, kind, null, null);
  }

  /**
   * Node {@code k}'s attempt failed: for good ({@code FAILED}) or to be retried ({@code RETRYING}).
   */
  static void ended(Instance inst, int k, Kind kind, String errorType, String errorMessage) {
    NodeSteps s = inst.ctx.steps;
    if (s == NodeSteps.NONE) {
      return;
    }
    if (inst.parent == null) {
      long[] t = inst.stepStart;
      long d = t == null || t[k] == 0 ? 0 : inst.ctx.scheduler.nanoTime() - t[k];
      emit(s, inst, k, kind, kind == Kind.SKIPPED ? 0 : d, errorType, errorMessage, 0);
    } else if (kind == Kind.RETRYING) {
      nested(s, inst, k, kind, errorType, errorMessage);
    }
  }

  /** Node {@code k} waits for an event or a timer. */
  static void waiting(Instance inst, int k) {
    NodeSteps s = inst.ctx.steps;
    if (s == NodeSteps.NONE) {
      return;
    }
    if (inst.parent == null) {
      emit(s, inst, k, Kind.WAITING, 0, null, null, 0);
    } else {
      nested(s, inst, k, Kind.WAITING, null, null);
    }
  }

  /** Child {@code child} (a map item, loop round or sub-workflow run) of a node started. */
  static void itemStarted(Instance child) {
    NodeSteps s = child.ctx.steps;
    if (s == NodeSteps.NONE || child.parent.parent != null) {
      return;
    }
    item(s, child, Kind.STARTED, 0, null, null);
  }

  /** Child {@code child} ended: completed, or failed with {@code error}. */
  static void itemEnded(Instance child, TriggerEvent.ErrorInfo error) {
    NodeSteps s = child.ctx.steps;
    if (s == NodeSteps.NONE || child.parent.parent != null) {
      return;
    }
    long d = child.ctx.scheduler.nanoTime() - child.startNanos;
    if (error == null) {
      item(s, child, Kind.COMPLETED, d, null, null);
    } else {
      item(s, child, Kind.FAILED, d, error.type(), error.message());
    }
  }

  /** A function call of node {@code k} ended and its runtime captured a log. */
  static void callLog(Instance inst, int k, int attempt, CallTime time) {
    CallLogs logs = inst.ctx.logs;
    CallTime.Log log;
    if (logs == CallLogs.NONE || (log = time.log()) == null) {
      return;
    }
    Instance top = inst;
    String nodeId = inst.wf.triggers[k].nodeId;
    int item = 0;
    while (top.parent != null) {
      item = item(top);
      nodeId = top.parent.wf.triggers[top.parentNode].nodeId;
      top = top.parent;
    }
    try {
      logs.logs(
          new CallLogs.Call(
              top.id,
              nodeId,
              attempt,
              item,
              inst.wf.triggers[k].runtime.kind(),
              inst.ctx.scheduler.currentTimeMillis()),
          log);
    } catch (RuntimeException ex) {
      LOG.debug("instance {} node {}: call logs failed: {}", top.id, nodeId, ex.toString());
    }
  }

  /** The item number of child instance {@code c}: map index + 1, the loop round, 1. */
  private static int item(Instance c) {
    return c.parent.wf.triggers[c.parentNode].action == Action.EXPAND_MAP
        ? c.parentIndex + 1
        : c.parentIndex;
  }

  private static void item(
      NodeSteps s, Instance child, Kind kind, long d, String errorType, String errorMessage) {
    Instance root = child.parent;
    send(
        s,
        root.id,
        root.wf.triggers[child.parentNode].nodeId,
        new NodeSteps.Step(
            kind,
            child.parentAttempt,
            root.ctx.scheduler.currentTimeMillis(),
            d,
            errorType,
            errorMessage,
            item(child),
            child.itemsTotal));
  }

  private static void nested(
      NodeSteps s, Instance inst, int k, Kind kind, String errorType, String errorMessage) {
    Instance c = inst;
    while (c.parent.parent != null) {
      c = c.parent;
    }
    Instance root = c.parent;
    send(
        s,
        root.id,
        root.wf.triggers[c.parentNode].nodeId,
        new NodeSteps.Step(
            kind,
            inst.attempts[k],
            inst.ctx.scheduler.currentTimeMillis(),
            0,
            errorType,
            errorMessage,
            item(c),
            c.itemsTotal));
  }

  private static void emit(
      NodeSteps s,
      Instance inst,
      int k,
      Kind kind,
      long d,
      String errorType,
      String errorMessage,
      int itemsTotal) {
    send(
        s,
        inst.id,
        inst.wf.triggers[k].nodeId,
        new NodeSteps.Step(
            kind,
            kind == Kind.SKIPPED ? 0 : inst.attempts[k],
            inst.ctx.scheduler.currentTimeMillis(),
            d,
            errorType,
            errorMessage,
            0,
            itemsTotal));
  }

  private static void send(NodeSteps s, String instanceId, String nodeId, NodeSteps.Step step) {
    try {
      s.step(instanceId, nodeId, step);
    } catch (RuntimeException ex) {
      LOG.debug("instance {} node {}: node steps failed: {}", instanceId, nodeId, ex.toString());
    }
  }
}

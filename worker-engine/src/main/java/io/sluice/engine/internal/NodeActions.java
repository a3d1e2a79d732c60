package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.events.WaitKey;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.NodeOptions;
import io.sluice.model.WaitNode;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import io.sluice.runtime.CallTime;
import io.sluice.runtime.Invocation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions of an instance's triggers: what a node does when it fires (its input, then a function
 * call, a switch, a fan-out, a timer, an event wait, a pass or an end), and the external events
 * event waits consume. Runs on the instance's thread, on the instance's state.
 */
final class NodeActions {
  private static final Logger LOG = LoggerFactory.getLogger(NodeActions.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Instance inst;

  NodeActions(Instance inst) {
    this.inst = inst;
  }

  JsonNode defaultInput(Trigger t) {
    if (t.inEdges.length == 0) {
      return inst.input;
    }
    JsonNode single = null;
    int count = 0;
    for (int e : t.inEdges) {
      if (inst.edgePayload[e] != null) {
        single = inst.edgePayload[e];
        count++;
      }
    }
    if (count <= 1) {
      return single == null ? inst.input : single;
    }
    ObjectNode joined = JSON.objectNode();
    for (int i = 0; i < t.inEdges.length; i++) {
      JsonNode p = inst.edgePayload[t.inEdges[i]];
      if (p != null) {
        joined.set(inst.wf.triggers[t.inFrom[i]].nodeId, p);
      }
    }
    return joined;
  }

  void fire(int k) {
    Trigger t = inst.wf.triggers[k];
    JsonNode in = defaultInput(t);
    for (int e : t.inEdges) {
      inst.edgePayload[e] = null;
    }
    Expr mapping = t.node.options().input();
    if (mapping != null) {
      try {
        in = JqEvaluator.shared().first(mapping, in, Map.of("workflow", inst.input));
      } catch (ExpressionException ex) {
        inst.nodeInput[k] = in;
        inst.attempts[k] = 1;
        NodeOutcomes.failure(
            inst,
            k,
            new ErrorInfo(Instance.EXPRESSION_FAILED, "input mapping: " + ex.getMessage(), false));
        return;
      }
    }
    inst.nodeInput[k] = in;
    startAttempt(k);
  }

  void startAttempt(int k) {
    Trigger t = inst.wf.triggers[k];
    int attempt = ++inst.attempts[k];
    JsonNode in = inst.nodeInput[k];
    NodeOptions opts = t.node.options();
    long deadline = Long.MAX_VALUE;
    if (opts.timeout() != null) {
      deadline = inst.ctx.scheduler.nanoTime() + opts.timeout().toNanos();
      inst.schedule(k, opts.timeout(), Kind.TIMEOUT, attempt);
    }
    if (t.action != Action.EXPAND_MAP) {
      Steps.started(inst, k, 0); // a map's start waits for its item count (FanOut)
    }
    switch (t.action) {
      case INVOKE_FUNCTION -> invoke(t, in, deadline, attempt);
      case EMIT_EVENT -> EventEmitter.emit(inst, k, in);
      case EVALUATE_SWITCH -> evaluateSwitch(t, in);
      case EXPAND_MAP, RUN_LOOP, START_SUBWORKFLOW -> FanOut.start(inst, t, in, attempt);
      case START_TIMER -> startTimer(t, attempt);
      case AWAIT_EVENT -> awaitEvent(k);
      case PASS, END_PATH -> NodeOutcomes.result(inst, k, in, -1);
      case FAIL_INSTANCE -> {
        io.sluice.model.EndNode end = (io.sluice.model.EndNode) t.node;
        inst.record(TriggerEvent.of(Kind.COMPLETED, k, attempt, in, inst.now()));
        inst.node(
            k,
            NodeMachine.Event.FATAL,
            0,
            new InstanceError(
                t.nodeId, end.error(), end.cause() == null ? "end node reached" : end.cause()));
      }
    }
  }

  /**
   * A wait node's timer. Durable: its deadline is recorded when it starts (first writer wins), and
   * a part taken over from a dead worker waits only what is left of the recorded deadline.
   */
  private void startTimer(Trigger t, int attempt) {
    Steps.waiting(inst, t.index);
    java.time.Duration delay = ((WaitNode) t.node).duration();
    if (!inst.ctx.journal.enabled()) {
      inst.schedule(t.index, delay, Kind.TIMER, attempt);
      return;
    }
    io.sluice.runtime.CallKey key = inst.keyPrefix().call(t.nodeId, attempt);
    io.sluice.runtime.CallKey timerKey =
        new io.sluice.runtime.CallKey(
            key.idempotencyKey() + JournaledCalls.TIMER_SUFFIX, key.stepKey());
    io.sluice.cluster.durable.CallOutcome had = JournaledCalls.recovered(inst, timerKey);
    long now = inst.ctx.scheduler.currentTimeMillis();
    if (had != null && had.output() != null && had.output().has("deadlineMillis")) {
      long left = Math.max(0, had.output().get("deadlineMillis").asLong() - now);
      inst.schedule(t.index, java.time.Duration.ofMillis(left), Kind.TIMER, attempt);
      return;
    }
    ObjectNode deadline = JSON.objectNode().put("deadlineMillis", now + delay.toMillis());
    inst.ctx.journal.called(
        inst.rootId(),
        timerKey.idempotencyKey(),
        io.sluice.cluster.durable.CallOutcome.completed(deadline));
    inst.schedule(t.index, delay, Kind.TIMER, attempt);
  }

  void invoke(Trigger t, JsonNode in, long deadline, int attempt) {
    inst.stats.invocations.increment();
    CompletableFuture<JsonNode> f;
    CallTime time = new CallTime();
    long t0 = inst.ctx.scheduler.nanoTime();
    io.sluice.runtime.CallKey key = inst.keyPrefix().call(t.nodeId, attempt);
    io.sluice.cluster.durable.CallOutcome had =
        inst.ctx.journal.enabled() ? JournaledCalls.recovered(inst, key) : null;
    if (had != null) {
      f = JournaledCalls.replay(had); // completed before this worker took the part over
    } else {
      try {
        f =
            io.sluice.runtime.trace.Tracing.invoke(
                    t.runtime,
                    new Invocation(
                        t.function,
                        in,
                        deadline,
                        inst.id,
                        t.nodeId,
                        attempt,
                        t.node.options().hints(),
                        time,
                        key),
                    inst.rootId(),
                    inst.scope.partition() == null ? null : inst.scope.partition().localWorker)
                .toCompletableFuture();
      } catch (RuntimeException ex) {
        f = CompletableFuture.failedFuture(ex);
      }
      if (inst.ctx.journal.enabled()) {
        f = JournaledCalls.record(inst, key, f);
      }
    }
    int k = t.index;
    if (t.prewarm.length > 0 && inst.ctx.options.prewarm()) {
      prewarmSuccessors(t);
    }
    if (f.isDone()) {
      // Synchronous runtimes (in-JVM functions, zero-time synthetic) complete here: no mailbox
      // round trip on the hot path.
      JsonNode out;
      inst.path.add(k, time.computeNanos(inst.ctx.scheduler.nanoTime() - t0), 0);
      Steps.callLog(inst, k, attempt, time);
      try {
        out = f.join();
      } catch (RuntimeException ex) {
        NodeOutcomes.failure(inst, k, Instance.errorOf(ex));
        return;
      }
      NodeOutcomes.result(inst, k, out == null ? NullNode.getInstance() : out, -1);
      return;
    }
    inst.ctx.activeCalls.incrementAndGet();
    f.whenComplete(
        (out, ex) -> {
          inst.ctx.activeCalls.decrementAndGet();
          Steps.callLog(inst, k, attempt, time);
        });
    f.whenComplete(
        (out, ex) -> {
          long compute = time.computeNanos(inst.ctx.scheduler.nanoTime() - t0);
          inst.post(
              ex == null
                  ? new TriggerEvent(
                      Kind.COMPLETED,
                      k,
                      attempt,
                      0,
                      out == null ? NullNode.getInstance() : out,
                      null,
                      null,
                      inst.now(),
                      compute,
                      0)
                  : new TriggerEvent(
                      Kind.FAILED,
                      k,
                      attempt,
                      0,
                      null,
                      Instance.errorOf(ex),
                      null,
                      inst.now(),
                      compute,
                      0));
        });
  }

  /**
   * Hints the runtimes of the node's function-call successors that this worker holds, once per
   * instance and successor. After the node's own call went out, so its container starts first.
   */
  private void prewarmSuccessors(Trigger t) {
    for (int s : t.prewarm) {
      if (!inst.scope.local(s)) {
        continue;
      }
      if (inst.prewarmed == null) {
        inst.prewarmed = new java.util.BitSet(inst.wf.triggers.length);
      } else if (inst.prewarmed.get(s)) {
        continue;
      }
      inst.prewarmed.set(s);
      Trigger next = inst.wf.triggers[s];
      try {
        next.runtime.prewarm(next.function);
      } catch (RuntimeException ex) {
        InstanceLog.debug(
            LOG,
            inst.id,
            next.nodeId,
            "instance {} node {}: prewarm failed: {}",
            inst.id,
            next.nodeId,
            ex.toString());
      }
    }
  }

  void evaluateSwitch(Trigger t, JsonNode in) {
    io.sluice.model.SwitchNode sw = (io.sluice.model.SwitchNode) t.node;
    String chosen = sw.defaultTarget();
    try {
      for (io.sluice.model.SwitchNode.Case c : sw.cases()) {
        if (JqEvaluator.truthy(
            JqEvaluator.shared().first(c.condition(), in, Map.of("workflow", inst.input)))) {
          chosen = c.target();
          break;
        }
      }
    } catch (ExpressionException ex) {
      NodeOutcomes.failure(
          inst, t.index, new ErrorInfo(Instance.EXPRESSION_FAILED, ex.getMessage(), false));
      return;
    }
    if (chosen == null) {
      NodeOutcomes.failure(
          inst,
          t.index,
          new ErrorInfo(
              Instance.NO_CHOICE_MATCHED, "no case matched and the switch has no default", false));
      return;
    }
    Integer branch = inst.wf.indexOf.get(chosen);
    NodeOutcomes.result(inst, t.index, in, branch == null ? -1 : branch);
  }

  void awaitEvent(int k) {
    EventWaitNode w = (EventWaitNode) inst.wf.triggers[k].node;
    if (NodeOutcomes.unneeded(inst, k)) {
      // queued behind the wait that won a join of the first result: it must not take an event
      inst.node(k, NodeMachine.Event.WITHDRAW, 0, null);
      return;
    }
    String key = null;
    if (w.correlate() != null) {
      try {
        key = keyValue(w, k);
      } catch (ExpressionException ex) {
        NodeOutcomes.failure(
            inst, k, new ErrorInfo(Instance.EXPRESSION_FAILED, ex.getMessage(), false));
        return;
      }
    }
    EventWaits waits = waits();
    waits.key(k, key);
    CloudEvent ev = waits.activate(k, this::matches);
    if (ev == null) {
      LocalWait lw =
          new LocalWait(
              inst.id + "/" + w.id() + "/" + inst.attempts[k],
              EngineEvents.rootOf(inst).id,
              new WaitKey(w.eventType(), key == null ? null : w.correlate().attribute(), key),
              inst,
              k,
              w.correlation(),
              inst.nodeInput[k],
              inst.input);
      waits.indexed(k, lw);
      ev = inst.ctx.events.started(lw);
      if (ev != null && !waits.firstDelivery(ev)) {
        ev = null; // taken before: this instance has seen it
      }
      if (ev == null) {
        Steps.waiting(inst, k);
        return;
      }
      endWait(k);
    } else {
      waits.release(k);
    }
    inst.record(TriggerEvent.external(k, inst.attempts[k], ev, inst.now()));
    NodeOutcomes.result(inst, k, CloudEvents.data(ev), -1);
  }

  /** The text of the wait's correlation key: jq over the node input, a string or a number. */
  private String keyValue(EventWaitNode w, int k) {
    JsonNode in = inst.nodeInput[k];
    JsonNode v =
        JqEvaluator.shared()
            .first(w.correlate().value(), in, Map.of("input", in, "workflow", inst.input));
    if (v == null || !(v.isTextual() || v.isNumber() || v.isBoolean())) {
      throw new ExpressionException(
          "correlate "
              + w.correlate().attribute()
              + " '"
              + w.correlate().value().source()
              + "' must give a string or a number, got "
              + (v == null ? "nothing" : v.isNull() ? "null" : v.getNodeType().toString()),
          null);
    }
    return v.isTextual() ? v.asText() : v.toString();
  }

  EventWaits waits() {
    if (inst.waits == null) {
      inst.waits = new EventWaits(inst.ctx.options.maxHeldEvents());
    }
    return inst.waits;
  }

  /** A wait ended (took an event, failed, timed out): the engine's index forgets it. */
  void endWait(int k) {
    if (inst.waits != null) {
      LocalWait lw = inst.waits.deactivate(k);
      if (lw != null) {
        inst.ctx.events.ended(lw);
      }
    }
  }

  /** The instance ended: every wait it still has leaves the engine's index. */
  void endAllWaits() {
    if (inst.waits != null) {
      for (LocalWait lw : inst.waits.releaseAll()) {
        inst.ctx.events.ended(lw);
      }
    }
  }

  /**
   * Whether wait {@code k} takes the event: its type, its correlation key unless the event was
   * addressed to the instance ({@code sluiceinstance}), and its jq correlation.
   */
  boolean matches(int k, CloudEvent ev) {
    EventWaitNode w = (EventWaitNode) inst.wf.triggers[k].node;
    if (!w.eventType().equals(ev.getType())) {
      return false;
    }
    String key = inst.waits == null ? null : inst.waits.key(k);
    if (key != null
        && ev.getExtension(EngineEvents.INSTANCE_EXTENSION) == null
        && !key.equals(WaitKey.valueOf(ev, w.correlate().attribute()))) {
      return false;
    }
    if (w.correlation() == null) {
      return true;
    }
    try {
      return JqEvaluator.truthy(
          JqEvaluator.shared()
              .first(
                  w.correlation(),
                  CloudEvents.asJson(ev),
                  Map.of("input", inst.nodeInput[k], "workflow", inst.input)));
    } catch (ExpressionException ex) {
      InstanceLog.warn(
          LOG,
          inst.id,
          w.id(),
          "instance {} node {}: correlation failed: {}",
          inst.id,
          w.id(),
          ex.getMessage());
      return false;
    }
  }

  /** The EXTERNAL action of a running instance (duplicates are EXTERNAL_DUPLICATE). */
  void onExternal(TriggerEvent e) {
    CloudEvent ev = e.external();
    int k =
        waits().take(ev, (n, x) -> inst.nodeState[n] == NodeState.RUNNING_ORDINAL && matches(n, x));
    if (k >= 0) {
      LocalWait lw = inst.waits.release(k);
      if (lw != null) {
        inst.ctx.events.ended(lw);
      }
      inst.record(TriggerEvent.external(k, inst.attempts[k], ev, inst.now()));
      NodeOutcomes.result(inst, k, CloudEvents.data(ev), -1);
    } else if (inst.waits.hold(ev)) {
      inst.record(TriggerEvent.external(-1, 0, ev, inst.now())); // held until a wait accepts it
    } else {
      InstanceLog.warn(
          LOG,
          inst.id,
          null,
          "instance {} holds {} events already; event {} of type {} is rejected",
          inst.id,
          inst.waits.heldCount(),
          ev.getId(),
          ev.getType());
    }
  }
}

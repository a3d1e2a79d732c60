package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.RetryPolicy;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import io.sluice.runtime.FunctionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workflow instance: a state machine whose transitions are its triggers, driven by the events
 * in its mailbox. Events may come from any thread; the state is only ever touched by the one thread
 * that drains the mailbox (an actor), so nothing here takes a lock on the hot path.
 */
final class Instance implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Instance.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final String EXPRESSION_FAILED = "ExpressionFailed";
  static final String NO_CHOICE_MATCHED = "NoChoiceMatched";
  static final String INTERNAL_ERROR = "InternalError";

  final String id;
  final CompiledWorkflow wf;
  final EngineContext ctx;
  final Instance parent;
  final int parentNode;
  final int parentIndex;
  final int parentAttempt;
  final RunStats stats;
  final Partition part;
  final JsonNode input;
  final long startMillis;
  final long startNanos;
  final CompletableFuture<InstanceStatus> done = new CompletableFuture<>();

  private final ConcurrentLinkedQueue<TriggerEvent> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();

  // ---- state confined to the draining thread ----
  volatile InstanceState state = InstanceState.RUNNING;
  private volatile JsonNode output;
  private volatile InstanceError error;
  private volatile long endNanos;
  final byte[] nodeState;
  private final int[] resolved;
  private final int[] active;
  final int[] attempts;
  final JsonNode[] edgePayload;
  private final boolean[] edgeResolved;
  private final Exports exports;
  private final NodeActions actions = new NodeActions(this);
  private Map<String, JsonNode> partSinks = Map.of();
  final JsonNode[] nodeInput;
  private final JsonNode[] sinkOutput;
  private final int[] ready;
  private int readyHead;
  private int readyTail;
  private int unresolved;
  private volatile int executed;
  private volatile int skipped;
  final NodeTimers timers = new NodeTimers();
  private Map<Integer, FanOut> fanOuts;
  EventWaits waits;
  private SplittableRandom random;
  private final List<TriggerEvent> history;

  Instance(
      String id,
      CompiledWorkflow wf,
      EngineContext ctx,
      JsonNode input,
      RunStats stats,
      Instance parent,
      int parentNode,
      int parentIndex,
      int parentAttempt,
      Partition part) {
    this.id = id;
    this.part = part;
    this.wf = wf;
    this.ctx = ctx;
    this.input = input == null ? NullNode.getInstance() : input;
    this.stats = stats;
    this.parent = parent;
    this.parentNode = parentNode;
    this.parentIndex = parentIndex;
    this.parentAttempt = parentAttempt;
    int n = wf.size();
    this.nodeState = new byte[n];
    this.resolved = new int[n];
    this.active = new int[n];
    this.attempts = new int[n];
    this.nodeInput = new JsonNode[n];
    this.sinkOutput = new JsonNode[n];
    this.edgePayload = new JsonNode[wf.edgeFrom.length];
    this.edgeResolved = new boolean[wf.edgeFrom.length];
    this.exports = part == null ? null : new Exports(n, wf.edgeFrom.length);
    this.ready = new int[n + 1];
    this.unresolved = part == null ? n : part.localCount;
    this.history = ctx.options.recordHistory() ? new ArrayList<>(2 * n + 4) : null;
    this.startMillis = ctx.scheduler.currentTimeMillis();
    this.startNanos = ctx.scheduler.nanoTime();
  }

  // ---- mailbox -------------------------------------------------------------------------------

  /** Adds an event to the mailbox; schedules a drain unless one is already under way. */
  void post(TriggerEvent e) {
    mailbox.offer(e);
    if (wip.getAndIncrement() == 0) {
      ctx.executor.execute(this);
    }
  }

  @Override
  public void run() {
    int missed = 1;
    while (true) {
      TriggerEvent e;
      while ((e = mailbox.poll()) != null) {
        try {
          handle(e);
          runReady();
        } catch (RuntimeException | Error bug) {
          LOG.error("instance {} failed on event {}", id, e.kind(), bug);
          if (state == InstanceState.RUNNING) {
            failInstance(
                new InstanceError(
                    e.node() >= 0 ? wf.triggers[e.node()].nodeId : "-",
                    INTERNAL_ERROR,
                    String.valueOf(bug)));
          }
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  long now() {
    return ctx.scheduler.currentTimeMillis();
  }

  void record(TriggerEvent e) {
    if (history != null) {
      synchronized (history) {
        history.add(e);
      }
    }
  }

  List<TriggerEvent> historySnapshot() {
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      return new ArrayList<>(history);
    }
  }

  // ---- dispatch ------------------------------------------------------------------------------

  private void handle(TriggerEvent e) {
    if (e.kind() == Kind.EXTERNAL) {
      actions.onExternal(e);
      return;
    }
    if (state != InstanceState.RUNNING) {
      return; // late event of a finished instance: nothing to do
    }
    switch (e.kind()) {
      case STARTED -> onStart(e);
      case COMPLETED -> {
        if (current(e)) {
          record(e);
          complete(e.node(), e.payload());
        }
      }
      case FAILED -> {
        if (current(e)) {
          record(e);
          nodeFailed(e.node(), e.error());
        }
      }
      case RETRY -> {
        if (nodeState[e.node()] == NodeState.RETRY_WAIT && attempts[e.node()] == e.attempt()) {
          record(e);
          actions.startAttempt(e.node());
        }
      }
      case TIMER -> {
        if (current(e)) {
          record(e);
          complete(e.node(), nodeInput[e.node()]);
        }
      }
      case TIMEOUT -> {
        if (current(e)) {
          record(e);
          Duration t = wf.triggers[e.node()].node.options().timeout();
          nodeFailed(
              e.node(),
              new ErrorInfo(FunctionException.TIMEOUT, "attempt took longer than " + t, true));
        }
      }
      case CHILD_DONE -> onChildDone(e);
      case EDGE -> {
        record(e);
        resolveEdge(e.node(), e.payload());
      }
      case EXPORTED -> {
        if (current(e)) {
          int k = e.node();
          exports.value[k] = e.payload();
          JsonNode result = exports.pendingResult[k];
          String chosen = exports.pendingChosen[k];
          exports.pendingResult[k] = null;
          exports.pendingChosen[k] = null;
          finishCompletion(k, result, chosen);
        }
      }
      case ABORT -> {
        record(e);
        failInstance(
            new InstanceError(wf.triggers[e.node()].nodeId, e.error().type(), e.error().message()));
      }
      case CANCEL -> {
        record(e);
        finish(InstanceState.CANCELLED, null, null);
      }
      default -> throw new IllegalStateException("unexpected event kind " + e.kind());
    }
  }

  /** Whether an event is about the node's current attempt (a stale one is dropped). */
  private boolean current(TriggerEvent e) {
    return nodeState[e.node()] == NodeState.RUNNING && attempts[e.node()] == e.attempt();
  }

  private void onStart(TriggerEvent e) {
    record(e);
    boolean[] isEntry = new boolean[wf.size()];
    for (int k : wf.entries) {
      isEntry[k] = true;
      if (local(k)) {
        transition(k, NodeState.READY);
        enqueue(k);
      }
    }
    for (int k = 0; k < wf.size(); k++) {
      if (!isEntry[k] && wf.triggers[k].inDegree() == 0 && local(k)) {
        transition(k, NodeState.SKIPPING);
        enqueue(~k);
      }
    }
    if (unresolved == 0) {
      completeInstance();
    }
  }

  private boolean local(int k) {
    return part == null || !part.remote[k];
  }

  // ---- ready queue: fire and skip without recursion --------------------------------------------

  private void enqueue(int encoded) {
    ready[readyTail] = encoded;
    readyTail = (readyTail + 1) % ready.length;
  }

  private void runReady() {
    while (readyHead != readyTail && state == InstanceState.RUNNING) {
      int k = ready[readyHead];
      readyHead = (readyHead + 1) % ready.length;
      if (k >= 0) {
        actions.fire(k);
      } else {
        skip(~k);
      }
    }
  }

  void transition(int k, byte to) {
    byte from = nodeState[k];
    if (!NodeState.legal(from, to)) {
      throw new IllegalStateException(
          "illegal transition of node '"
              + wf.triggers[k].nodeId
              + "' in instance "
              + id
              + ": "
              + NodeState.name(from)
              + " -> "
              + NodeState.name(to)
              + "; history: "
              + CloudEvents.describe(historySnapshot(), id, wf));
    }
    nodeState[k] = to;
  }

  /** An incoming edge of a node resolved, carrying {@code payload} (null = skipped). */
  private void resolveEdge(int edge, JsonNode payload) {
    if (edgeResolved[edge]) {
      return; // an edge resolves once: a redelivered event never counts twice
    }
    int t = wf.edgeTo[edge];
    if (part != null && routeThroughDataPlane(edge, t, payload)) {
      return;
    }
    edgeResolved[edge] = true;
    if (nodeState[t] != NodeState.WAITING) {
      return; // already fired on a quorum, or skipped: later edges change nothing
    }
    if (payload != null) {
      edgePayload[edge] = payload;
      active[t]++;
    }
    resolved[t]++;
    int decision = wf.triggers[t].decide(resolved[t], active[t]);
    if (decision > 0) {
      transition(t, NodeState.READY);
      enqueue(t);
    } else if (decision < 0) {
      transition(t, NodeState.SKIPPING);
      enqueue(~t);
    }
  }

  /**
   * Cluster mode: an edge to another worker leaves as an edge event (carrying the exported value or
   * reference); an edge to this worker whose value went through the store is resolved once the
   * value is fetched back. Returns true if the edge was handled here.
   */
  private boolean routeThroughDataPlane(int edge, int t, JsonNode payload) {
    int from = wf.edgeFrom[edge];
    boolean deferred = exports.deferred[edge];
    JsonNode out = exports.outgoing(edge, from, payload);
    io.sluice.engine.data.DataPlane data = ctx.data;
    if (part.remote[t]) {
      edgeResolved[edge] = true;
      exports.edgesSent++;
      part.send(id, wf, edge, out, attempts[from]);
      return true;
    }
    if (out != payload && data.isReference(out)) {
      exports.deferred[edge] = true; // every value through the store: fetch it back, then resolve
      data.resolve(id, out)
          .whenComplete(
              (v, ex) ->
                  post(
                      ex == null
                          ? TriggerEvent.of(Kind.EDGE, edge, 0, v, now())
                          : new TriggerEvent(Kind.ABORT, t, 0, 0, null, errorOf(ex), null, now())));
      return true;
    }
    if (payload != null && !deferred) {
      data.countLocal(id, payload);
    }
    return false;
  }

  private void skip(int k) {
    transition(k, NodeState.SKIPPED);
    skipped++;
    unresolved--;
    Trigger t = wf.triggers[k];
    for (int i = 0; i < t.inEdges.length; i++) {
      edgePayload[t.inEdges[i]] = null;
    }
    record(TriggerEvent.of(Kind.SKIPPED, k, 0, null, now()));
    for (int e : t.outEdges) {
      resolveEdge(e, null);
    }
    checkDone();
  }

  // ---- firing --------------------------------------------------------------------------------

  static ErrorInfo errorOf(Throwable ex) {
    FunctionException f = FunctionException.of(ex);
    return new ErrorInfo(f.type(), String.valueOf(f.getMessage()), f.retryable());
  }

  // ---- outcomes ------------------------------------------------------------------------------

  /** The node produced {@code result}: map it, then pass it along its NEXT edges. */
  void complete(int k, JsonNode result) {
    completeWith(k, result, null);
  }

  void completeWith(int k, JsonNode result, String chosenBranch) {
    Trigger t = wf.triggers[k];
    Expr mapping = t.node.options().output();
    if (mapping != null) {
      try {
        result =
            JqEvaluator.shared()
                .first(mapping, result, Map.of("input", nodeInput[k], "workflow", input));
      } catch (ExpressionException ex) {
        nodeFailed(
            k, new ErrorInfo(EXPRESSION_FAILED, "output mapping: " + ex.getMessage(), false));
        return;
      }
    }
    finishCompletion(k, result, chosenBranch);
  }

  private void finishCompletion(int k, JsonNode result, String chosenBranch) {
    Trigger t = wf.triggers[k];
    if (part != null
        && exports.value[k] == null
        && part.needsExport(wf, t, chosenBranch, ctx.data.storesLocalValues())) {
      CompletableFuture<JsonNode> f =
          ctx.data.export(id, t.nodeId, result, part.consumerWorkers(wf, t)).toCompletableFuture();
      if (!f.isDone()) {
        exports.pendingResult[k] = result;
        exports.pendingChosen[k] = chosenBranch;
        int attempt = attempts[k];
        f.whenComplete(
            (ref, ex) ->
                post(
                    ex == null
                        ? TriggerEvent.of(Kind.EXPORTED, k, attempt, ref, now())
                        : TriggerEvent.failed(k, attempt, errorOf(ex), now())));
        return;
      }
      try {
        exports.value[k] = f.join();
      } catch (RuntimeException ex) {
        nodeFailed(k, errorOf(ex));
        return;
      }
    }
    transition(k, NodeState.COMPLETED);
    cancelTimer(k);
    nodeInput[k] = null;
    executed++;
    unresolved--;
    if (history != null) {
      record(TriggerEvent.of(Kind.COMPLETED, k, attempts[k], result, now()));
    }
    if (t.sink) {
      sinkOutput[k] = result;
    }
    for (int e : t.outEdges) {
      Edge.Kind kind = wf.edgeKind[e];
      boolean carries =
          kind == Edge.Kind.NEXT
              || (kind == Edge.Kind.BRANCH
                  && wf.triggers[wf.edgeTo[e]].nodeId.equals(chosenBranch));
      resolveEdge(e, carries ? result : null);
    }
    checkDone();
  }

  /** An attempt failed: retry it, route it to a catcher, or fail the instance. */
  void nodeFailed(int k, ErrorInfo err) {
    Trigger t = wf.triggers[k];
    cancelTimer(k);
    if (waits != null) {
      waits.deactivate(k);
    }
    FanOut.cancel(this, k);
    RetryPolicy retry = t.node.options().retry();
    if (err.retryable() && attempts[k] < retry.maxAttempts() && retry.retries(err.type())) {
      transition(k, NodeState.RETRY_WAIT);
      Duration delay = jitter(retry.backoffBefore(attempts[k] + 1), retry.jitter());
      record(TriggerEvent.of(Kind.RETRY, k, attempts[k], null, now()));
      if (delay.isZero()) {
        actions.startAttempt(k);
      } else {
        int attempt = attempts[k];
        ctx.scheduler.schedule(
            delay, () -> post(TriggerEvent.of(Kind.RETRY, k, attempt, null, now())));
      }
      return;
    }
    for (Catcher c : t.node.options().catchers()) {
      if (c.catches(err.type())) {
        caught(k, c.next(), err);
        return;
      }
    }
    failInstance(new InstanceError(t.nodeId, err.type(), err.message()));
  }

  private void caught(int k, String target, ErrorInfo err) {
    Trigger t = wf.triggers[k];
    transition(k, NodeState.FAILED);
    executed++;
    unresolved--;
    ObjectNode payload = JSON.objectNode();
    payload.put("error", err.type());
    payload.put("cause", err.message());
    payload.put("node", t.nodeId);
    payload.set("input", nodeInput[k]);
    nodeInput[k] = null;
    boolean routed = false;
    for (int e : t.outEdges) {
      boolean carries =
          !routed
              && wf.edgeKind[e] == Edge.Kind.CATCH
              && wf.triggers[wf.edgeTo[e]].nodeId.equals(target);
      routed |= carries;
      resolveEdge(e, carries ? payload : null);
    }
    checkDone();
  }

  private Duration jitter(Duration d, double jitter) {
    if (jitter == 0 || d.isZero()) {
      return d;
    }
    if (random == null) {
      random = new SplittableRandom(id.hashCode());
    }
    double f = 1 + jitter * (2 * random.nextDouble() - 1);
    return Duration.ofNanos((long) (d.toNanos() * f));
  }

  private void checkDone() {
    if (unresolved == 0 && state == InstanceState.RUNNING) {
      completeInstance();
    }
  }

  private void completeInstance() {
    Map<String, JsonNode> sinks = new java.util.LinkedHashMap<>();
    for (int k = 0; k < sinkOutput.length; k++) {
      if (sinkOutput[k] != null) {
        sinks.put(wf.triggers[k].nodeId, sinkOutput[k]);
      }
    }
    if (part != null) {
      partSinks = sinks; // the master composes the output from every part's sinks
      finish(InstanceState.COMPLETED, null, null);
      return;
    }
    JsonNode result;
    try {
      result = io.sluice.engine.cluster.WorkflowOutputs.compose(wf.graph, sinks, input);
    } catch (ExpressionException ex) {
      failInstance(new InstanceError("<output>", EXPRESSION_FAILED, ex.getMessage()));
      return;
    }
    finish(InstanceState.COMPLETED, result, null);
  }

  void failInstance(InstanceError err) {
    finish(InstanceState.FAILED, null, err);
  }

  private void finish(InstanceState end, JsonNode out, InstanceError err) {
    if (state != InstanceState.RUNNING) {
      return;
    }
    output = out;
    error = err;
    endNanos = ctx.scheduler.nanoTime();
    state = end;
    Kind kind =
        switch (end) {
          case COMPLETED -> Kind.INSTANCE_COMPLETED;
          case FAILED -> Kind.INSTANCE_FAILED;
          default -> Kind.INSTANCE_CANCELLED;
        };
    record(TriggerEvent.of(kind, -1, 0, out, now()));
    timers.cancelAll();
    FanOut.cancelAll(this);
    readyHead = readyTail;
    InstanceStatus status = status();
    if (parent != null && end != InstanceState.CANCELLED) {
      parent.post(
          new TriggerEvent(
              Kind.CHILD_DONE,
              parentNode,
              parentAttempt,
              parentIndex,
              out,
              err == null
                  ? null
                  : new ErrorInfo(err.type(), err.nodeId() + ": " + err.message(), true),
              null,
              now()));
    }
    if (part != null && end != InstanceState.CANCELLED) {
      io.sluice.cluster.api.Transfers transfers = ctx.data.transfers(id);
      part.router.partFinished(
          new io.sluice.cluster.api.PartResult(
              id,
              part.localWorker,
              end,
              partSinks,
              err,
              stats.invocations.sum(),
              executed,
              skipped,
              exports.edgesSent,
              transfers.localBytes(),
              transfers.peerBytes(),
              transfers.redisBytes()));
    }
    ctx.engine.finished(this, status);
    done.complete(status);
  }

  // ---- timers and children -------------------------------------------------------------------

  void schedule(int k, Duration delay, Kind kind, int attempt) {
    timers.start(
        ctx.scheduler,
        k,
        kind == Kind.TIMEOUT,
        delay,
        () -> post(TriggerEvent.of(kind, k, attempt, null, now())));
  }

  private void cancelTimer(int k) {
    timers.cancel(k);
  }

  Map<Integer, FanOut> fanOuts() {
    if (fanOuts == null) {
      fanOuts = new HashMap<>();
    }
    return fanOuts;
  }

  Map<Integer, FanOut> fanOutsOrNull() {
    return fanOuts;
  }

  private void onChildDone(TriggerEvent e) {
    FanOut f = fanOuts == null ? null : fanOuts.get(e.node());
    if (f == null || !current(e)) {
      return; // a child of an attempt that already ended
    }
    record(e);
    f.childDone(this, e);
  }

  InstanceState state() {
    return state;
  }

  InstanceStatus status() {
    long end = state == InstanceState.RUNNING ? ctx.scheduler.nanoTime() : endNanos;
    int events;
    if (history == null) {
      events = 0;
    } else {
      synchronized (history) {
        events = history.size();
      }
    }
    return new InstanceStatus(
        id,
        wf.graph.name(),
        state,
        output,
        error,
        wf.size(),
        executed,
        skipped,
        stats.invocations.sum(),
        startMillis,
        end - startNanos,
        events);
  }
}

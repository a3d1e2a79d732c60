package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.runtime.FunctionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workflow instance: an actor that drains its mailbox and drives three kinds of entity through
 * their transition tables — itself ({@link InstanceMachine}), each node ({@link NodeMachine}) and
 * each edge ({@link Edges}). Events may come from any thread; the state is only ever touched by the
 * one thread that drains the mailbox, so nothing here takes a lock on the hot path. What differs in
 * a cluster (exports, routing through the data plane, part results) is its {@link InstanceScope}.
 */
final class Instance implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Instance.class);
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
  final InstanceScope scope;
  final JsonNode input;
  final long startMillis;
  final long startNanos;
  final CompletableFuture<InstanceStatus> done = new CompletableFuture<>();

  private final ConcurrentLinkedQueue<TriggerEvent> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();

  // ---- state confined to the draining thread (but state, output, error, counts are read) ----
  /** The instance's state in {@link InstanceMachine#TABLE} (an ordinal of its Phase). */
  int phase = InstanceMachine.Phase.CREATED.ordinal();

  /** What callers see: RUNNING until the end, then written after the output and error. */
  volatile InstanceState state = InstanceState.RUNNING;

  volatile JsonNode output;
  volatile InstanceError error;
  volatile long endNanos;
  final byte[] nodeState;
  final byte[] edgeState;
  final int[] resolved;
  final int[] active;
  final int[] attempts;
  final JsonNode[] edgePayload;
  final NodeActions actions = new NodeActions(this);
  final JsonNode[] nodeInput;
  final JsonNode[] sinkOutput;
  private final int[] ready;
  private int readyHead;
  private int readyTail;
  int unresolved;
  volatile int executed;
  volatile int skipped;
  final NodeTimers timers = new NodeTimers();
  final CriticalPath path;
  private Map<Integer, FanOut> fanOuts;
  EventWaits waits;

  /** Successors whose runtimes were hinted to prewarm (lazily made; see NodeActions). */
  java.util.BitSet prewarmed;

  java.util.SplittableRandom random;

  /** When each node's current attempt started, for its step's duration (only with node steps). */
  long[] stepStart;

  /** A map item's: how many items its map fans out to (set before it starts); 0 otherwise. */
  int itemsTotal;

  final List<TriggerEvent> history;

  /** The idempotency-key path of this instance (lazily made; see {@link #keyPrefix()}). */
  private io.sluice.runtime.CallKey.Prefix keyPrefix;

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
      InstanceScope scope) {
    this.id = id;
    this.scope = scope;
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
    this.edgeState = new byte[wf.edgeFrom.length];
    this.resolved = new int[n];
    this.active = new int[n];
    this.attempts = new int[n];
    this.nodeInput = new JsonNode[n];
    this.sinkOutput = new JsonNode[n];
    this.edgePayload = new JsonNode[wf.edgeFrom.length];
    this.ready = new int[n + 1];
    this.path = new CriticalPath(n, wf.edgeFrom.length);
    this.unresolved = scope.localCount(wf);
    this.history = ctx.options.recordHistory() ? new ArrayList<>(2 * n + 4) : null;
    this.startMillis = ctx.scheduler.currentTimeMillis();
    this.startNanos = ctx.scheduler.nanoTime();
  }

  /**
   * The idempotency-key path of this instance: the root instance's id, then each enclosing map
   * item, loop round or sub-workflow run with its node's attempt. Made from ids and attempt numbers
   * only, so a re-run of the same attempt (a re-delivery, a recovery) gets the same keys.
   */
  /** The id of the top-level instance this one runs in (itself for a top-level instance). */
  String rootId() {
    Instance i = this;
    while (i.parent != null) {
      i = i.parent;
    }
    return i.id;
  }

  io.sluice.runtime.CallKey.Prefix keyPrefix() {
    io.sluice.runtime.CallKey.Prefix p = keyPrefix;
    if (p == null) {
      p =
          parent == null
              ? io.sluice.runtime.CallKey.Prefix.root(id)
              : parent
                  .keyPrefix()
                  .enter(
                      new io.sluice.runtime.CallKey.Enclosing(
                          parent.wf.triggers[parentNode].nodeId, parentIndex, parentAttempt));
      keyPrefix = p;
    }
    return p;
  }

  // ---- mailbox -------------------------------------------------------------------------------

  /** Adds an event to the mailbox; schedules a drain unless one is already under way. */
  void post(TriggerEvent e) {
    mailbox.offer(e);
    if (wip.getAndIncrement() == 0) {
      try {
        ctx.executor.execute(this);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the engine was closed (its worker stops): what still arrives (a timer, a late result)
        // goes nowhere, as in a process that ended
        InstanceLog.debug(LOG, id, null, "instance {}: engine closed, {} dropped", id, e.kind());
      }
    }
  }

  /**
   * Puts the instance's first event in its mailbox without draining it: for an instance not yet
   * visible to other threads, so that whatever they post once it is ({@link #post}) comes after it.
   * {@link #kick()} then drains.
   */
  void preload(TriggerEvent first) {
    mailbox.offer(first);
  }

  /** Drains what {@link #preload} put in the mailbox, unless a drain is already under way. */
  void kick() {
    if (wip.getAndIncrement() == 0) {
      try {
        ctx.executor.execute(this);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        LOG.debug("instance {}: engine closed before it started", id);
      }
    }
  }

  /**
   * Adds an event to the mailbox and, unless a drain is already under way, drains it on this
   * thread: no hand-off to the engine's pool. Only for instances whose functions never run their
   * code on the draining thread ({@link CompiledWorkflow#runsCallerCode}), so the caller (a network
   * I/O thread delivering a peer's event) is held only for the engine's own bookkeeping.
   */
  void postHere(TriggerEvent e) {
    if (wf.runsCallerCode()) {
      post(e);
      return;
    }
    mailbox.offer(e);
    if (wip.getAndIncrement() == 0) {
      run();
    }
  }

  @Override
  public void run() {
    int missed = 1;
    while (true) {
      TriggerEvent e;
      while ((e = mailbox.poll()) != null) {
        try {
          InstanceMachine.receive(this, e);
          runReady();
        } catch (RuntimeException | Error bug) {
          InstanceLog.error(
              LOG,
              id,
              e.node() >= 0 && e.node() < wf.size() ? wf.triggers[e.node()].nodeId : null,
              "instance {} failed on event {}",
              id,
              e.kind(),
              bug);
          if (phase == InstanceMachine.Phase.RUNNING.ordinal()) {
            boolean onNode = e.node() >= 0 && e.kind() != Kind.EDGE && e.node() < wf.size();
            fail(
                new InstanceError(
                    onNode ? wf.triggers[e.node()].nodeId : "-",
                    INTERNAL_ERROR,
                    String.valueOf(bug)));
          }
        }
      }
      scope.drained();
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Whether no drain is under way or due (the mailbox is empty). */
  boolean idle() {
    return wip.get() == 0;
  }

  // ---- the tables ------------------------------------------------------------------------------

  /** Drives the instance itself through {@link InstanceMachine#TABLE}. */
  void instance(InstanceMachine.Event event, Object arg) {
    StateMachine<InstanceMachine.Phase, InstanceMachine.Event, Instance> m = InstanceMachine.TABLE;
    int r = m.row(phase, event, this, -1);
    phase = m.next(r);
    m.action(r).run(this, -1, 0, arg);
  }

  /** Drives node {@code k} through {@link NodeMachine#TABLE}. */
  void node(int k, NodeMachine.Event event, int aux, Object arg) {
    StateMachine<NodeState, NodeMachine.Event, Instance> m = NodeMachine.TABLE;
    int r = m.row(nodeState[k], event, this, k);
    nodeState[k] = (byte) m.next(r);
    m.action(r).run(this, k, aux, arg);
  }

  /** Drives edge {@code edge} through {@link Edges#TABLE}. */
  void edge(int edge, Edges.Event event, JsonNode payload) {
    StateMachine<Edges.State, Edges.Event, Instance> m = Edges.TABLE;
    int r = m.row(edgeState[edge], event, this, edge);
    edgeState[edge] = (byte) m.next(r);
    m.action(r).run(this, edge, 0, payload);
  }

  void fail(InstanceError err) {
    instance(InstanceMachine.Event.FAIL, err);
  }

  boolean running() {
    return phase == InstanceMachine.Phase.RUNNING.ordinal();
  }

  // ---- ready queue: fire and skip without recursion --------------------------------------------

  void enqueue(int encoded) {
    ready[readyTail] = encoded;
    readyTail = (readyTail + 1) % ready.length;
  }

  void clearReady() {
    readyHead = readyTail;
  }

  private void runReady() {
    while (readyHead != readyTail && running()) {
      int k = ready[readyHead];
      readyHead = (readyHead + 1) % ready.length;
      if (k >= 0) {
        node(k, NodeMachine.Event.FIRE, 0, null);
      } else {
        node(~k, NodeMachine.Event.SKIP, 0, null);
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

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

  static ErrorInfo errorOf(Throwable ex) {
    FunctionException f = FunctionException.of(ex);
    return new ErrorInfo(
        f.type(), String.valueOf(f.getMessage()), f.retryable(), f.retryAfter().toNanos());
  }

  void schedule(int k, java.time.Duration delay, Kind kind, int attempt) {
    timers.start(
        ctx.scheduler,
        k,
        kind == Kind.TIMEOUT,
        delay,
        () -> post(TriggerEvent.of(kind, k, attempt, null, now())));
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
        events,
        path.compute(),
        path.data());
  }
}

package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.time.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The warm containers of one function. Calls wait in {@link #waiting} until a ready container has a
 * free slot ({@code concurrency} calls per container); when the waiting calls exceed what the
 * containers being started will take, another container starts, up to {@code maxContainers}. A
 * container idle for {@code keepAlive} (a timer on the runtime's scheduler) is removed unless that
 * would leave fewer than {@code prewarm}. A container that dies, or whose call ran past its
 * deadline, is removed, and the pool starts another when calls wait or {@code prewarm} asks.
 *
 * <p>All state is guarded by {@code this}; engine and HTTP work is handed out as actions that run
 * after the lock is released, on the runtime's I/O threads. How a container starts is {@link
 * ContainerStarter}'s job, how a call is sent and answered {@link ContainerCalls}'s; the pool only
 * decides when, and what their outcome means for its slots and waiting calls.
 */
final class ContainerPool {
  /** One call waiting for, or running in, a container. */
  static final class Call {
    final Invocation inv;
    final CompletableFuture<JsonNode> result;
    Slot slot; // guarded by the pool
    long submittedAt; // System.nanoTime() at submit
    boolean waited; // found no container with room at submit: waits for one to start

    Call(Invocation inv, CompletableFuture<JsonNode> result) {
      this.inv = inv;
      this.result = result;
    }
  }

  /** One container: starting until {@link #ready}, then serving up to concurrency calls. */
  static final class Slot {
    volatile String id;
    volatile int port;
    boolean ready;
    boolean dead;
    int busy;
    long idleToken;
    Scheduler.Cancellable expiry;
  }

  private final DockerFunctionRuntime rt;
  private final DockerSpec spec;
  private final List<Slot> slots = new ArrayList<>();
  private final ArrayDeque<Call> waiting = new ArrayDeque<>();
  private int started; // containers ever started (tests and footprint read it)
  private boolean closed;

  private final ContainerStarter starter;
  private final ContainerCalls calls;

  ContainerPool(DockerFunctionRuntime rt, FunctionDef fn, DockerSpec spec) {
    this.rt = rt;
    this.spec = spec;
    ContainerFailures failures = new ContainerFailures(rt, fn, spec);
    this.starter = new ContainerStarter(rt, fn, spec, failures);
    this.calls = new ContainerCalls(rt, fn, failures, this);
  }

  // ---- the pool's state, under the lock -------------------------------------------------------

  void submit(Call call) {
    List<Runnable> actions;
    synchronized (this) {
      call.submittedAt = System.nanoTime();
      waiting.add(call);
      actions = dispatch();
      if (call.slot == null && !call.result.isDone()) {
        call.waited = true;
      }
    }
    run(actions);
  }

  /** Starts containers until {@code prewarm} are there. */
  void ensureWarm() {
    redispatch();
  }

  /** Hands waiting calls to containers with room, and starts the containers still needed. */
  void redispatch() {
    List<Runnable> actions;
    synchronized (this) {
      actions = dispatch();
    }
    run(actions);
  }

  /**
   * Starts one container unless one is idle or starting already, or the pool is at its maximum: a
   * hint that a call is coming. The start runs on the I/O threads.
   */
  void prewarmOne() {
    Slot s;
    synchronized (this) {
      if (closed || rt.isClosed() || slots.size() >= spec.maxContainers()) {
        return;
      }
      for (Slot o : slots) {
        if (!o.dead && (!o.ready || o.busy == 0)) {
          return;
        }
      }
      s = new Slot();
      slots.add(s);
      started++;
    }
    DockerStats.prewarmStarted();
    run(List.of(() -> start(s)));
  }

  /** The call's deadline passed: its container, if it had one, is stopped and replaced. */
  void timedOut(Call call) {
    Slot s;
    List<Runnable> actions;
    synchronized (this) {
      s = call.slot;
      if (s == null || s.dead) {
        return;
      }
      retire(s);
      actions = dispatch();
    }
    String id = s.id;
    actions.add(() -> rt.engine().removeQuietly(id));
    run(actions);
  }

  /** Live containers (starting or ready). */
  synchronized int size() {
    return slots.size();
  }

  /** Containers started since the pool was made. */
  synchronized int started() {
    return started;
  }

  synchronized long grantedMemory() {
    return spec.memory() * slots.size();
  }

  /** The memory limit of each of its containers, 0 when they have none. */
  long memoryLimit() {
    return spec.memory();
  }

  /** The ids of its live containers that the engine has created. */
  synchronized List<String> containerIds() {
    List<String> ids = new ArrayList<>();
    for (Slot s : slots) {
      if (!s.dead && s.id != null) {
        ids.add(s.id);
      }
    }
    return ids;
  }

  /** Marks the pool closed, fails waiting calls, and returns the ids of its containers. */
  synchronized List<String> closeAndTakeContainers() {
    closed = true;
    List<String> ids = new ArrayList<>();
    for (Slot s : slots) {
      s.dead = true;
      if (s.expiry != null) {
        s.expiry.cancel();
      }
      if (s.id != null) {
        ids.add(s.id);
      }
    }
    slots.clear();
    return ids;
  }

  private List<Runnable> dispatch() {
    List<Runnable> actions = new ArrayList<>();
    if (closed || rt.isClosed()) {
      return actions;
    }
    for (Iterator<Call> it = waiting.iterator(); it.hasNext(); ) {
      if (it.next().result.isDone()) {
        it.remove(); // timed out or cancelled while waiting
      }
    }
    while (!waiting.isEmpty()) {
      Slot s = withRoom();
      if (s == null) {
        break;
      }
      Call c = waiting.poll();
      if (c.waited) {
        DockerStats.coldWait(System.nanoTime() - c.submittedAt);
      }
      s.busy++;
      s.idleToken++;
      if (s.expiry != null) {
        s.expiry.cancel();
        s.expiry = null;
      }
      c.slot = s;
      actions.add(() -> calls.send(s, c));
    }
    int startingRoom = 0;
    for (Slot s : slots) {
      if (!s.ready) {
        startingRoom += spec.concurrency();
      }
    }
    int need = waiting.size() - startingRoom;
    while ((need > 0 && slots.size() < spec.maxContainers()) || slots.size() < spec.prewarm()) {
      Slot s = new Slot();
      slots.add(s);
      started++;
      need -= spec.concurrency();
      actions.add(() -> start(s));
    }
    return actions;
  }

  private Slot withRoom() {
    Slot best = null;
    for (Slot s : slots) {
      // the busiest ready container with room: idle ones stay idle and can expire
      if (s.ready
          && !s.dead
          && s.busy < spec.concurrency()
          && (best == null || s.busy > best.busy)) {
        best = s;
      }
    }
    return best;
  }

  private void retire(Slot s) {
    s.dead = true;
    slots.remove(s);
    if (s.expiry != null) {
      s.expiry.cancel();
      s.expiry = null;
    }
  }

  private void markIdle(Slot s) {
    long token = ++s.idleToken;
    s.expiry = rt.options().scheduler().schedule(spec.keepAlive(), () -> expire(s, token));
  }

  private void expire(Slot s, long token) {
    String id;
    synchronized (this) {
      if (s.dead || s.busy > 0 || s.idleToken != token || slots.size() <= spec.prewarm()) {
        return;
      }
      retire(s);
      id = s.id;
    }
    run(List.of(() -> rt.engine().removeQuietly(id)));
  }

  /** The call in {@code s} is over: the slot has room again (unless it was retired meanwhile). */
  void release(Slot s) {
    List<Runnable> actions;
    synchronized (this) {
      if (s.dead) {
        return;
      }
      s.busy--;
      if (s.busy == 0) {
        markIdle(s);
      }
      actions = dispatch();
    }
    run(actions);
  }

  /**
   * A call in {@code s} found its container not answering: retires the slot unless something else
   * did (a timeout, close). True when this caller retired it, and so must remove the container.
   */
  synchronized boolean lost(Slot s) {
    boolean diagnoseHere = !s.dead;
    if (!s.dead) {
      retire(s);
    }
    return diagnoseHere;
  }

  private void run(List<Runnable> actions) {
    for (Runnable a : actions) {
      try {
        rt.io().execute(a);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // the runtime closed; its close fails the calls and removes the containers
      }
    }
  }

  // ---- starts, on I/O threads -----------------------------------------------------------------

  private void start(Slot s) {
    try {
      starter.create(s);
      synchronized (this) {
        if (s.dead) { // the pool closed meanwhile
          rt.engine().removeQuietly(s.id);
          return;
        }
      }
      starter.prepare(s);
    } catch (RuntimeException e) {
      startFailed(s, starter.failure(e));
      return;
    }
    List<Runnable> actions;
    synchronized (this) {
      if (s.dead) {
        actions = new ArrayList<>();
      } else {
        s.ready = true;
        actions = dispatch();
        if (s.busy == 0) {
          markIdle(s);
        }
      }
    }
    run(actions);
  }

  private void startFailed(Slot s, FunctionException failure) {
    List<Call> failed = new ArrayList<>();
    List<Runnable> actions;
    synchronized (this) {
      retire(s);
      // the calls this container was started for fail with its error; others keep waiting
      for (int i = 0; i < spec.concurrency() && !waiting.isEmpty(); i++) {
        failed.add(waiting.poll());
      }
      actions = dispatch();
    }
    String id = s.id;
    if (id != null) {
      try {
        rt.engine().removeQuietly(id);
      } catch (RuntimeException ignored) {
        // unreachable engine: nothing to remove
      }
    }
    failed.forEach(c -> c.result.completeExceptionally(failure));
    run(actions);
  }
}

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
 * deadline or was cancelled and then lost its container, is removed, and the pool starts another
 * when calls wait or {@code prewarm} asks.
 *
 * <p><b>Failed starts.</b> Waiting calls are served first come, first served, and a container being
 * started counts as room for {@code concurrency} of them whatever started it (a call, {@code
 * prewarm} or the engine's prewarm hint). So when a start fails, the calls it would have served are
 * the waiting calls after the first {@code R}, where {@code R} is the room of the other containers
 * still starting: those {@code R} calls will be served by them and are left alone, and the next
 * {@code concurrency} waiting calls (if there are any) fail with the start's error, which names the
 * function and the image — they would otherwise wait for a container that is not coming. So a
 * failed prewarm start fails calls only when nothing else being started could serve them, a failed
 * start no call was counting on fails none, and calls waiting beyond (the pool at {@code
 * maxContainers}, waiting for a busy container) keep waiting. Failed starts back off ({@link
 * StartBackoff}): no container of the pool starts for 200 ms after a failure, doubling per
 * consecutive failure up to 30 s, so a call that arrives meanwhile waits for the pause to end (or
 * its deadline); after five in a row the pool stops starting containers on its own ({@code
 * prewarm}, the hint) until a call waits for one. A successful start resets both.
 *
 * <p>All state is guarded by {@code this}; engine and HTTP work (start, remove, call) is handed out
 * as actions that run after the lock is released, on the runtime's I/O threads: nothing blocking
 * runs under the lock, so {@code footprint()} and {@code close()} never wait behind the engine. How
 * a container starts is {@link ContainerStarter}'s job, how a call is sent and answered {@link
 * ContainerCalls}'s; the pool only decides when, and what their outcome means for its slots and
 * waiting calls.
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
  private final StartBackoff backoff;
  private Scheduler.Cancellable retry; // dispatches again when the backoff's pause ends

  private final ContainerStarter starter;
  private final ContainerCalls calls;

  ContainerPool(DockerFunctionRuntime rt, FunctionDef fn, DockerSpec spec) {
    this.rt = rt;
    this.spec = spec;
    this.backoff = new StartBackoff(fn.name());
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
      if (withRoom() == null) {
        backoff.callArrived(); // it asks for a container: prewarm may start them again
      }
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
      if (closed
          || rt.isClosed()
          || slots.size() >= spec.maxContainers()
          || backoff.prewarmStopped()
          || backoff.waitNanos(rt.options().scheduler().nanoTime()) > 0) {
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

  /** Consecutive failed starts since the last successful one. */
  synchronized int startFailures() {
    return backoff.failures();
  }

  /**
   * Marks the pool closed and returns the ids of its containers, for the runtime to remove; a
   * container still being created is removed by its start once it exists. Its waiting calls are
   * dropped, not failed: the runtime's close has failed every call in flight before (so this pool
   * need not know the runtime's closed error). Nothing starts afterwards.
   */
  synchronized List<String> closeAndTakeContainers() {
    closed = true;
    waiting.clear();
    if (retry != null) {
      retry.cancel();
      retry = null;
    }
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
    int floor = backoff.prewarmStopped() ? 0 : spec.prewarm();
    boolean wanted = (need > 0 && slots.size() < spec.maxContainers()) || slots.size() < floor;
    long pause = wanted ? backoff.waitNanos(rt.options().scheduler().nanoTime()) : 0;
    if (pause > 0) {
      retryAfter(pause);
      return actions;
    }
    while ((need > 0 && slots.size() < spec.maxContainers()) || slots.size() < floor) {
      Slot s = new Slot();
      slots.add(s);
      started++;
      need -= spec.concurrency();
      actions.add(() -> start(s));
    }
    return actions;
  }

  /** Dispatches again once the backoff's pause ({@code nanos} from now) is over. */
  private void retryAfter(long nanos) {
    if (retry != null) {
      return; // a retry is due already; if it comes early, it sets the next one
    }
    retry =
        rt.options()
            .scheduler()
            .schedule(
                java.time.Duration.ofNanos(nanos),
                () -> {
                  synchronized (this) {
                    retry = null;
                  }
                  redispatch();
                });
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
      boolean closedMeanwhile;
      synchronized (this) {
        closedMeanwhile = s.dead; // the pool closed while the engine created it
      }
      if (closedMeanwhile) {
        removeQuietly(s.id); // outside the lock: a slow engine holds up nobody
        return;
      }
      starter.prepare(s);
    } catch (RuntimeException e) {
      startFailed(s, starter.failure(e));
      return;
    }
    List<Runnable> actions;
    synchronized (this) {
      if (s.dead) {
        actions = new ArrayList<>(); // closed meanwhile: close took its id and removes it
      } else {
        s.ready = true;
        backoff.succeeded();
        actions = dispatch();
        if (s.busy == 0) {
          markIdle(s);
        }
      }
    }
    run(actions);
  }

  /**
   * The start of {@code s} failed: retires it, backs off, and fails the waiting calls it would have
   * served (see the class comment); the container, if the engine created one, is removed.
   */
  private void startFailed(Slot s, FunctionException failure) {
    List<Call> failed = new ArrayList<>();
    List<Runnable> actions = new ArrayList<>();
    synchronized (this) {
      if (!s.dead) { // else the pool closed: its calls were failed by the runtime's close
        retire(s);
        failed = servedBy(s);
        waiting.removeAll(failed);
        backoff.failed(rt.options().scheduler().nanoTime(), failure, failed.size());
        actions = dispatch();
      }
    }
    removeQuietly(s.id);
    failed.forEach(c -> c.result.completeExceptionally(failure));
    run(actions);
  }

  /**
   * The waiting calls the failed start of {@code s} (already retired) would have served: first
   * come, first served, the containers still starting take the first calls, so these are the {@code
   * concurrency} calls after them.
   */
  private List<Call> servedBy(Slot s) {
    int otherRoom = 0;
    for (Slot o : slots) {
      if (!o.ready && !o.dead) {
        otherRoom += spec.concurrency();
      }
    }
    List<Call> calls = new ArrayList<>();
    int position = 0;
    for (Call c : waiting) {
      if (c.result.isDone()) {
        continue; // timed out or cancelled while waiting: dispatch drops it
      }
      if (position >= otherRoom + spec.concurrency()) {
        break;
      }
      if (position >= otherRoom) {
        calls.add(c);
      }
      position++;
    }
    return calls;
  }

  /** Removes a container on this thread (an I/O thread, never under the lock); null: none. */
  private void removeQuietly(String id) {
    if (id == null) {
      return;
    }
    try {
      rt.engine().removeQuietly(id);
    } catch (RuntimeException ignored) {
      // unreachable engine: nothing to remove, and close removes what is left by label
    }
  }
}

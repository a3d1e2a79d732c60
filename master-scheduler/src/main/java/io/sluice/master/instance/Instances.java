package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.InstanceLog;
import io.sluice.master.ExecutionMode;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.events.EventRouting;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.progress.ProgressStore;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.time.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances the master answers for: running ones, and the most recent {@code retainFinished}
 * finished ones for status queries. Starts each in its mode and ends those that depended on a lost
 * worker.
 */
public final class Instances implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Instances.class);

  private final Scheduler scheduler;
  private final WorkerClients clients;
  private final int retainFinished;
  private final int masterThreads;
  private final int maxHeldEvents;
  private final Map<String, InstanceRun> runs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedCount = new AtomicInteger();
  private final Map<WorkflowKey, MasterSpEngine> engines = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final String prefix;
  private final EventRouting routing;
  private final ProgressStore progress;
  private volatile io.sluice.cluster.durable.Journal journal =
      io.sluice.cluster.durable.Journal.NONE;
  private volatile java.util.function.Supplier<List<WorkerInfo>> live = List::of;
  private volatile java.util.function.Function<String, WorkerInfo> workers = w -> null;
  private volatile InstanceListener listener = InstanceListener.NONE;

  public Instances(
      Scheduler scheduler,
      WorkerClients clients,
      int retainFinished,
      int masterThreads,
      int maxHeldEvents,
      EventRouting routing,
      ProgressStore progress) {
    this.routing = routing;
    this.progress = progress;
    this.scheduler = scheduler;
    this.clients = clients;
    this.retainFinished = retainFinished;
    this.masterThreads = masterThreads;
    this.maxHeldEvents = maxHeldEvents;
    this.prefix = "m" + Long.toString(scheduler.currentTimeMillis() % 1_679_616L, 36);
  }

  /**
   * Makes WorkerSP instances durable: each records its start in {@code journal}, and the parts of a
   * worker that dies move to the live workers ({@code live}; {@code workers} finds one by id)
   * instead of failing the instance.
   */
  public void durable(
      io.sluice.cluster.durable.Journal journal,
      java.util.function.Supplier<List<WorkerInfo>> live,
      java.util.function.Function<String, WorkerInfo> workers) {
    this.journal = journal;
    this.live = live;
    this.workers = workers;
  }

  /** Who hears instances start and end (the master's metrics); one listener. */
  public void listen(InstanceListener l) {
    this.listener = l == null ? InstanceListener.NONE : l;
  }

  public io.sluice.cluster.durable.Journal journal() {
    return journal;
  }

  /** Starts an instance; a client-chosen id that exists returns the existing instance. */
  public InstanceRun start(
      DeploymentView view, ExecutionMode mode, JsonNode input, String clientId) {
    return start(view, mode, input, clientId, "");
  }

  /**
   * As {@link #start(DeploymentView, ExecutionMode, JsonNode, String)}, started by {@code
   * principal} (recorded with it; empty without authentication).
   */
  public InstanceRun start(
      DeploymentView view, ExecutionMode mode, JsonNode input, String clientId, String principal) {
    String id =
        clientId == null || clientId.isBlank()
            ? prefix + "-" + counter.incrementAndGet()
            : clientId;
    InstanceRun run;
    synchronized (this) {
      InstanceRun existing = runs.get(id);
      if (existing != null) {
        if (!existing.view().workflow().key().equals(view.workflow().key())) {
          throw new IllegalArgumentException(
              "instance id "
                  + id
                  + " is already used by an"
                  + " instance of "
                  + existing.view().workflow().key());
        }
        return existing;
      }
      run =
          mode == ExecutionMode.WORKER
              ? new WorkerSpRun(id, view, input, scheduler, clients, journal, workers)
              : new MasterSpRun(id, view, input, scheduler, engine(view));
      run.startedBy(principal);
      runs.put(id, run);
      opened(run);
    }
    follow(run, false, journal.enabled() && mode == ExecutionMode.WORKER);
    run.start();
    return run;
  }

  /**
   * Takes up a durable instance that a previous master started ({@code record} and what the journal
   * holds of it), as a restarted master does: it runs on, its status can be asked, its end is
   * heard. Completes nothing new on the workers; parts whose workers do not come back move when
   * {@link #workerLost} is called for them.
   */
  public WorkerSpRun resume(
      DeploymentView view,
      io.sluice.cluster.durable.InstanceRecord record,
      io.sluice.cluster.durable.Recorded recorded) {
    String id = record.instanceId();
    WorkerSpRun run =
        new WorkerSpRun(id, view, record.input(), scheduler, clients, journal, workers);
    run.startedBy(record.startedBy());
    synchronized (this) {
      if (runs.containsKey(id)) {
        throw new IllegalStateException("instance " + id + " is already known to this master");
      }
      runs.put(id, run);
      opened(run);
    }
    follow(run, true, true);
    run.resume(recorded);
    return run;
  }

  /**
   * Tells the listener the instance started (or was taken up again: {@code resumed}) and, when it
   * ends, its listener, its progress, the event routing and the finished list; {@code journaled}:
   * its end is recorded too (a failed write leaves the journal entry running, said in the log).
   */
  private void follow(InstanceRun run, boolean resumed, boolean journaled) {
    String id = run.id();
    WorkflowKey key = run.view().workflow().key();
    InstanceListener heard = listener;
    heard.started(key, resumed);
    run.done()
        .whenComplete(
            (r, t) -> {
              heard.ended(key, r);
              ended(id, r);
              routing.instanceEnded(id);
              retire(id);
              if (journaled) {
                journal
                    .ended(id, endStatus(run, r))
                    .whenComplete(
                        (ok, ex) -> {
                          if (ex != null) {
                            InstanceLog.warn(
                                LOG,
                                id,
                                null,
                                "instance {} ended but its journal entry stays running: {}",
                                id,
                                ex.getMessage());
                          }
                        });
              }
            });
  }

  /** Its progress: a pending row per top-level node, then {@code instance.started}. */
  private void opened(InstanceRun run) {
    var g = run.view().workflow().graph();
    progress.open(
        run.id(),
        List.copyOf(g.nodes().keySet()),
        run.view().workflow().key()
            + ", "
            + run.mode().name().toLowerCase(java.util.Locale.ROOT)
            + " mode");
  }

  private void ended(String id, InstanceReport r) {
    if (r == null) {
      progress.ended(id, "instance.failed", "ended without a report");
      return;
    }
    String type =
        switch (r.state()) {
          case COMPLETED -> "instance.succeeded";
          case CANCELLED -> "instance.cancelled";
          default -> "instance.failed";
        };
    String detail =
        r.error() == null
            ? ""
            : r.error().type()
                + (r.error().nodeId() == null || r.error().nodeId().equals("-")
                    ? ""
                    : " at node " + r.error().nodeId())
                + ": "
                + r.error().message();
    progress.ended(id, type, detail);
  }

  /** What the master knows of its instances' progress. */
  public ProgressStore progress() {
    return progress;
  }

  /**
   * Runs ended durable instance {@code record.instanceId()} again (Redrive) under its id, in place
   * of the ended run: see {@link WorkerSpRun#redrive()}. The journal must have been prepared
   * ({@code Journal.redrive}). Throws REFUSED when the instance runs.
   */
  public WorkerSpRun redrive(DeploymentView view, io.sluice.cluster.durable.InstanceRecord record) {
    String id = record.instanceId();
    WorkerSpRun run =
        new WorkerSpRun(id, view, record.input(), scheduler, clients, journal, workers);
    run.startedBy(record.startedBy());
    synchronized (this) {
      InstanceRun old = runs.get(id);
      if (old != null && !old.finished()) {
        throw new io.sluice.cluster.api.ClusterException(
            io.sluice.cluster.api.ClusterException.Reason.REFUSED,
            "instance " + id + " is running: only a failed or cancelled instance can be redriven");
      }
      runs.put(id, run);
    }
    var g = view.workflow().graph();
    progress.redriven(
        id, List.copyOf(g.nodes().keySet()), view.workflow().key() + ", from its failed nodes");
    follow(run, true, true);
    run.redrive();
    return run;
  }

  private static byte[] endStatus(InstanceRun run, InstanceReport r) {
    return r == null
        ? new byte[0]
        : io.sluice.master.rpc.MasterWire.status(r).toBuilder()
            .setStartedBy(run.startedBy())
            .build()
            .toByteArray();
  }

  private MasterSpEngine engine(DeploymentView view) {
    MasterSpEngine e =
        engines.computeIfAbsent(
            view.key(),
            k ->
                new MasterSpEngine(
                    view, clients, scheduler, masterThreads, maxHeldEvents, routing, progress));
    e.dispatch.update(view);
    return e;
  }

  /**
   * Points the MasterSP engine of {@code view}'s deployment, if one runs, at {@code view}: its
   * instances' later Dispatches follow the new placement (a drained worker gets no more calls).
   */
  public void redirect(DeploymentView view) {
    MasterSpEngine e = engines.get(view.key());
    if (e != null) {
      e.dispatch.update(view);
    }
  }

  private void retire(String id) {
    finished.add(id);
    if (finishedCount.incrementAndGet() > retainFinished) {
      String old = finished.poll();
      if (old != null) {
        InstanceRun gone = runs.get(old);
        // a redriven instance runs again under its id: only an ended run is dropped
        if (gone != null
            && gone.finished()
            && runs.remove(old, gone)
            && gone instanceof MasterSpRun m) {
          m.retired();
        }
        progress.forget(old);
        finishedCount.decrementAndGet();
      }
    }
  }

  public InstanceRun get(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("missing field instance_id");
    }
    InstanceRun r = runs.get(id);
    if (r == null) {
      throw new NotFoundException(
          "no instance "
              + id
              + " on this master (finished"
              + " instances are kept for the latest "
              + retainFinished
              + ")");
    }
    return r;
  }

  /** The instance with this id, if the master knows it (running or recently finished). */
  public java.util.Optional<InstanceRun> find(String id) {
    return java.util.Optional.ofNullable(id == null ? null : runs.get(id));
  }

  /** Whether an instance with this id runs now. */
  public boolean running(String id) {
    InstanceRun r = runs.get(id);
    return r != null && !r.finished();
  }

  /** Every instance the master knows: running ones and the retained finished ones. */
  public java.util.Collection<InstanceRun> all() {
    return java.util.Collections.unmodifiableCollection(runs.values());
  }

  /** Every instance not yet finished. */
  public List<InstanceRun> running() {
    return runs.values().stream().filter(r -> !r.finished()).toList();
  }

  /** A worker reported its part of an instance ended, in a message of {@code wireBytes}. */
  public void partFinished(PartResult part, int wireBytes) {
    partFinished(part, wireBytes, part.workerId());
  }

  /** As above, reported by worker {@code reportedBy} (the part's holder; fenced if it is not). */
  public void partFinished(PartResult part, int wireBytes, String reportedBy) {
    InstanceRun r = runs.get(part.instanceId());
    if (r instanceof WorkerSpRun w) {
      w.partFinished(part, wireBytes, reportedBy);
    } else {
      InstanceLog.debug(
          LOG,
          part.instanceId(),
          null,
          "part of unknown or master-mode instance {} from {}",
          part.instanceId(),
          part.workerId());
    }
  }

  /**
   * Fails every running instance that depended on the lost worker, naming it; returns how many it
   * failed.
   */
  public int workerLost(WorkerInfo worker, String reason) {
    int affected = 0;
    List<WorkerInfo> alive = journal.enabled() ? live.get() : List.of();
    int moved = 0;
    for (InstanceRun r : running()) {
      if (r.usesWorker(worker.id())
          && r instanceof WorkerSpRun w
          && w.workerDied(worker.id(), alive, reason)) {
        moved++;
        progress.record(
            r.id(),
            "part.moved",
            null,
            worker.id(),
            "worker " + worker.id() + " lost (" + reason + "): its parts move to live workers");
        continue;
      }
      if (r.usesWorker(worker.id())
          && r.abort(
              InstanceState.FAILED,
              new InstanceError(
                  "-", "WorkerLost", reason + "; instance " + r.id() + " had nodes there"),
              worker.id())) {
        affected++;
      }
    }
    if (moved > 0) {
      LOG.warn(
          "worker {} lost: moving its parts of {} durable instances to live workers",
          worker.id(),
          moved);
    }
    return affected + moved;
  }

  @Override
  public void close() {
    engines.values().forEach(MasterSpEngine::close);
    engines.clear();
  }

  /**
   * The final status a durable cluster's journal kept of an ended instance this master does not
   * know (it ended before this master started, within the durability retention).
   */
  public java.util.Optional<io.sluice.proto.InstanceStatus> recordedStatus(String id) {
    io.sluice.cluster.durable.Journal journal = journal();
    if (!journal.enabled() || id == null || id.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      var rec =
          journal.load(id).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      if (rec.isPresent() && rec.get().end() != null && rec.get().end().length > 0) {
        return java.util.Optional.of(io.sluice.proto.InstanceStatus.parseFrom(rec.get().end()));
      }
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(Instances.class)
          .warn("durability: cannot read instance {} from the journal: {}", id, e.getMessage());
      return java.util.Optional.empty();
    }
  }
}

package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.master.ExecutionMode;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.MasterWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.CancelInstanceRequest;
import io.sluice.proto.DeliverEventRequest;
import io.sluice.proto.DeliverEventResponse;
import io.sluice.proto.Mode;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A WorkerSP instance: every worker holding nodes starts its part with the input; the workers
 * trigger each other; the master only hears each part end and completes the instance when all did
 * (or fails it at the first failed part and cancels the rest).
 */
public final class WorkerSpRun extends InstanceRun {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private final WorkerClients clients;
  private final InstanceCompletion completion;
  private final Set<String> holders;

  /** Workers whose completed part kept no values (inline data): they need no release. */
  private final Set<String> keepsNothing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final io.sluice.cluster.durable.Journal journal;

  /** Where each part runs now (durable instances only; null otherwise). */
  private final PartRecovery recovery;

  private final java.util.function.Function<String, WorkerInfo> workers;

  /** The start recorded (durable), or at once; see {@link #recorded()}. */
  private final CompletableFuture<Void> recorded = new CompletableFuture<>();

  /** Retries of StartInstance to a worker that could not be reached (durable only). */
  private static final int START_ATTEMPTS = 40;

  public WorkerSpRun(
      String id, DeploymentView view, JsonNode input, Scheduler scheduler, WorkerClients clients) {
    this(id, view, input, scheduler, clients, io.sluice.cluster.durable.Journal.NONE, w -> null);
  }

  /**
   * A run that records its start in {@code journal} and, when it is enabled, moves the parts of
   * workers that die to live ones instead of failing; {@code workers} finds a live worker by id.
   */
  public WorkerSpRun(
      String id,
      DeploymentView view,
      JsonNode input,
      Scheduler scheduler,
      WorkerClients clients,
      io.sluice.cluster.durable.Journal journal,
      java.util.function.Function<String, WorkerInfo> workers) {
    super(id, view, input, scheduler);
    this.clients = clients;
    this.holders = view.holders();
    this.completion = new InstanceCompletion(view.workflow().graph(), input, holders);
    this.journal = journal;
    this.workers = workers;
    this.recovery =
        journal.enabled() ? new PartRecovery(id, holders, clients, workers, journal, view) : null;
  }

  /** The worker running part {@code part} now (the part's own worker unless it moved). */
  private WorkerInfo holderInfo(String part) {
    if (recovery == null) {
      return view.worker(part);
    }
    // Durable: where the holder is registered now (it may have moved, or the master restarted).
    WorkerInfo w = workers.apply(recovery.holderOf(part));
    return w != null ? w : view.workers().get(part);
  }

  /**
   * Takes up an instance a restarted master read from the journal: where its parts run now and the
   * ends of parts that were reported meanwhile (or recorded before the report was lost).
   */
  public void resume(io.sluice.cluster.durable.Recorded recorded) {
    if (recovery == null) {
      throw new IllegalStateException("instance " + id + " is not durable: nothing to resume");
    }
    recovered();
    recovery.restore(recorded.moves());
    recorded
        .parts()
        .forEach(
            (part, bytes) -> {
              try {
                io.sluice.proto.InstanceFinishedRequest req =
                    io.sluice.proto.InstanceFinishedRequest.parseFrom(bytes);
                partFinished(
                    MasterWire.part(req),
                    bytes.length,
                    req.getReportedBy().isEmpty() ? part : req.getReportedBy());
              } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(WorkerSpRun.class)
                    .warn(
                        "instance {}: the recorded end of part {} is unreadable: {}",
                        id,
                        part,
                        e.getMessage());
              }
            });
  }

  /**
   * For an instance a restarted master took up: when the journal holds nothing of it but its start
   * (the previous master died between recording the start and starting the parts), starts its parts
   * now, on the workers registered under their ids. A repeated start of a running part is ignored
   * by its worker.
   */
  public void startIfNothingRan(io.sluice.cluster.durable.Recorded recorded) {
    if (recovery == null
        || finished()
        || !recorded.calls().isEmpty()
        || !recorded.edges().isEmpty()
        || !recorded.parts().isEmpty()
        || !recorded.moves().isEmpty()) {
      return;
    }
    for (String workerId : holders) {
      WorkerInfo w = workers.apply(workerId);
      if (w != null) {
        startOn(workerId, w, startRequest(workerId), 1);
      }
    }
  }

  /**
   * Runs an ended instance again under its id (Redrive; the journal has kept only its start and its
   * successful call outcomes): each part's worker first drops its ended part and loads those
   * outcomes (an AdoptPart of its own part), then every part starts again as at a start — completed
   * calls are answered from the record, the others are made. A worker that cannot be reached or
   * prepared fails the run, naming it.
   */
  public void redrive() {
    recovered();
    List<ListenableFuture<io.sluice.proto.AdoptPartResponse>> prepared = new ArrayList<>();
    List<String> parts = new ArrayList<>(holders);
    for (String workerId : parts) {
      WorkerInfo w = workers.apply(workerId);
      if (w == null) {
        abort(
            InstanceState.FAILED,
            new InstanceError(
                "-",
                "RedriveFailed",
                "redrive of instance "
                    + id
                    + ": worker "
                    + workerId
                    + ", which holds part of it, is not registered"),
            workerId);
        return;
      }
      prepared.add(
          clients
              .future(w, CALL_DEADLINE)
              .adoptPart(
                  io.sluice.proto.AdoptPartRequest.newBuilder()
                      .setInstanceId(id)
                      .setPartWorker(workerId)
                      .setWorkflow(MasterWire.ref(view.key()))
                      .putAllPlacement(view.placement().workers())
                      .build()));
    }
    Futures.addCallback(
        Futures.allAsList(prepared),
        new FutureCallback<List<io.sluice.proto.AdoptPartResponse>>() {
          @Override
          public void onSuccess(List<io.sluice.proto.AdoptPartResponse> ok) {
            for (String workerId : parts) {
              WorkerInfo w = workers.apply(workerId);
              if (w != null && !finished()) {
                startOn(workerId, w, startRequest(workerId), 1);
              }
            }
          }

          @Override
          public void onFailure(Throwable t) {
            abort(
                InstanceState.FAILED,
                new InstanceError(
                    "-",
                    "RedriveFailed",
                    "redrive of instance "
                        + id
                        + ": a worker could not prepare its part: "
                        + t.getMessage()),
                null);
          }
        },
        MoreExecutors.directExecutor());
  }

  /** A run taken up from the journal: its start is recorded (a repeated Invoke answers at once). */
  private void recovered() {
    recorded.complete(null);
  }

  /** The workers running parts of this instance now. */
  public Set<String> currentHolders() {
    return recovery == null ? holders : recovery.holders();
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.WORKER;
  }

  @Override
  public CompletableFuture<Void> recorded() {
    return recorded;
  }

  @Override
  public void start() {
    if (!journal.enabled()) {
      recorded.complete(null);
      startParts();
      return;
    }
    // Durable: the start is recorded before any part starts, so any worker can start a part again.
    journal
        .started(
            new io.sluice.cluster.durable.InstanceRecord(
                id,
                view.key(),
                input,
                view.placement().workers(),
                scheduler.currentTimeMillis(),
                MasterWire.runOptions(view.binding()).toByteArray(),
                startedBy()))
        .whenComplete(
            (ok, ex) -> {
              recorded.complete(null);
              if (ex == null) {
                startParts();
              } else {
                abort(
                    InstanceState.FAILED,
                    new InstanceError(
                        "-",
                        "DurabilityUnavailable",
                        "instance "
                            + id
                            + " not started: its start could not be recorded in "
                            + journal.describe()
                            + ": "
                            + ex.getMessage()),
                    null);
              }
            });
  }

  /**
   * A worker died: its parts move to live workers ({@code live}) when the instance is durable;
   * completes with true when they did, false when the instance is not durable (the caller fails
   * it).
   */
  public boolean workerDied(String dead, List<WorkerInfo> live, String reason) {
    if (recovery == null || finished()) {
      return false;
    }
    // Every part the dead worker ran moves, ended or not: an ended part's edge events may have died
    // with it unacknowledged, and its heir replays them (its calls are recorded; a repeated end is
    // ignored).
    recovery
        .workerDied(dead, holders, live, view.placement().workers(), MasterWire.ref(view.key()))
        .whenComplete(
            (moved, ex) -> {
              if (ex != null) {
                abort(
                    InstanceState.FAILED,
                    new InstanceError(
                        "-",
                        "WorkerLost",
                        reason
                            + "; instance "
                            + id
                            + " had nodes there and they could not move: "
                            + ex.getMessage()),
                    dead);
              }
            });
    return true;
  }

  /** Parts of this instance moved from dead workers so far. */
  public int partsMoved() {
    return recovery == null ? 0 : recovery.moves();
  }

  private void startParts() {
    for (String workerId : holders) {
      WorkerInfo w = view.worker(workerId);
      StartInstanceRequest req = startRequest(workerId);
      traffic.roundTrip(req.getSerializedSize(), 0);
      startOn(workerId, w, req, 1);
    }
  }

  /** The StartInstance of {@code workerId}'s part: its entry nodes, the instance's placement. */
  private StartInstanceRequest startRequest(String workerId) {
    String traceparent = traceparent();
    return StartInstanceRequest.newBuilder()
        .setTraceparent(traceparent == null ? "" : traceparent)
        .setInstanceId(id)
        .setWorkflow(MasterWire.ref(view.key()))
        .setInput(MasterWire.payload(input))
        .setMode(Mode.MODE_WORKER)
        .setOptions(MasterWire.runOptions(view.binding()))
        .setPlacementId(io.sluice.cluster.api.PlacementId.of(view.placement().workers()))
        .addAllEntryNodes(view.entriesOn(workerId))
        .build();
  }

  /**
   * Starts one part. Durable: a worker that cannot be reached is asked again (backoff up to 2 s, at
   * most {@value #START_ATTEMPTS} times) while the same incarnation of it is registered and the
   * part has not moved; once it is declared dead its part moves like any other (the start is
   * recorded, so the heir starts it). Not durable: the instance fails at once.
   */
  private void startOn(String workerId, WorkerInfo w, StartInstanceRequest req, int attempt) {
    onFailure(
        clients.future(w, CALL_DEADLINE).startInstance(req),
        t -> {
          if (recovery != null && attempt < START_ATTEMPTS && !finished()) {
            WorkerInfo now = workers.apply(workerId);
            if (!recovery.holderOf(workerId).equals(workerId)
                || now == null
                || now.incarnation() != w.incarnation()) {
              return; // it moved, or will when the worker is declared dead
            }
            scheduler.schedule(
                Duration.ofMillis(Math.min(2_000, 50L << Math.min(attempt, 6))),
                () -> startOn(workerId, w, req, attempt + 1));
            return;
          }
          abort(
              InstanceState.FAILED,
              new InstanceError(
                  "-",
                  "WorkerUnreachable",
                  "starting instance "
                      + id
                      + " on worker "
                      + w.describe()
                      + " failed"
                      + (attempt > 1 ? " " + attempt + " times" : "")
                      + ": "
                      + t.getMessage()),
              workerId);
        });
  }

  /** A worker's part ended; its report took {@code wireBytes} on the wire. */
  public void partFinished(PartResult part, int wireBytes) {
    partFinished(part, wireBytes, part.workerId());
  }

  /**
   * A part ended, reported by worker {@code reportedBy}: the part's own worker, or the one that
   * took it over. A report from a worker that no longer holds the part (declared dead, its part
   * moved) is refused: fenced.
   */
  public void partFinished(PartResult part, int wireBytes, String reportedBy) {
    if (recovery != null && !recovery.holderOf(part.workerId()).equals(reportedBy)) {
      org.slf4j.LoggerFactory.getLogger(WorkerSpRun.class)
          .warn(
              "instance {}: refused the end of part {} reported by {}: the part runs on {} now"
                  + " (fenced)",
              id,
              part.workerId(),
              reportedBy,
              recovery.holderOf(part.workerId()));
      return;
    }
    traffic.roundTrip(wireBytes, 0);
    if (!part.retainsData() && part.state() == InstanceState.COMPLETED) {
      keepsNothing.add(part.workerId());
    }
    completion
        .accept(part)
        .ifPresent(
            o -> {
              bytesMoved = new long[] {o.bytesLocal(), o.bytesPeer(), o.bytesRedis()};
              criticalPath = new long[] {o.pathComputeNanos(), o.pathDataNanos()};
              // Counted before the end is reported, sent after it.
              List<WorkerInfo> toRelease = releaseTargets();
              CancelInstanceRequest release = release();
              toRelease.forEach(w -> traffic.roundTrip(release.getSerializedSize(), 0));
              String errorWorker = o.error() == null ? null : part.workerId();
              finish(
                  build(
                      o.state(),
                      o.output(),
                      o.error(),
                      errorWorker,
                      o.workersUsed(),
                      o.crossWorkerEvents(),
                      o.nodesExecuted(),
                      o.nodesSkipped(),
                      o.invocations()));
              if (o.state() != InstanceState.COMPLETED) {
                cancelParts("the instance failed on worker " + part.workerId(), null);
              }
              toRelease.forEach(w -> clients.future(w, CALL_DEADLINE).cancelInstance(release));
            });
  }

  @Override
  public boolean usesWorker(String workerId) {
    return recovery == null ? holders.contains(workerId) : recovery.holders().contains(workerId);
  }

  @Override
  public boolean abort(InstanceState state, InstanceError error, String workerId) {
    var o = completion.abort(state, error);
    if (o.isEmpty()) {
      return false;
    }
    var out = o.get();
    finish(
        build(
            state,
            null,
            error,
            workerId,
            out.workersUsed(),
            out.crossWorkerEvents(),
            out.nodesExecuted(),
            out.nodesSkipped(),
            out.invocations()));
    cancelParts(error.message(), workerId);
    return true;
  }

  private CancelInstanceRequest release() {
    return CancelInstanceRequest.newBuilder()
        .setInstanceId(id)
        .setReason("released: the instance ended")
        .build();
  }

  /**
   * Who frees what it stored for the ended instance (FaaStore values, pushed copies): every worker
   * that held a part, but one whose completed part kept nothing (values inline) released itself. A
   * CancelInstance for a finished part only releases its data.
   */
  private List<WorkerInfo> releaseTargets() {
    List<WorkerInfo> out = new ArrayList<>(holders.size());
    Set<String> seen = new java.util.HashSet<>();
    for (String workerId : holders) {
      WorkerInfo w = holderInfo(workerId);
      if (w != null && !keepsNothing.contains(workerId) && seen.add(w.id())) {
        out.add(w);
      }
    }
    if (recovery != null) { // a worker that took parts over also keeps what it moved
      for (String h : recovery.holders()) {
        WorkerInfo w = workers.apply(h);
        if (w != null && seen.add(h)) {
          out.add(w);
        }
      }
    }
    return out;
  }

  private void cancelParts(String reason, String except) {
    for (String workerId : completion.pendingWorkers()) {
      WorkerInfo w = holderInfo(workerId);
      if (w == null || workerId.equals(except) || w.id().equals(except)) {
        continue;
      }
      clients
          .future(w, CALL_DEADLINE)
          .cancelInstance(
              CancelInstanceRequest.newBuilder().setInstanceId(id).setReason(reason).build());
    }
  }

  @Override
  public CompletableFuture<Boolean> deliverAsync(CloudEvent event) {
    List<ListenableFuture<DeliverEventResponse>> calls = new ArrayList<>();
    DeliverEventRequest req =
        DeliverEventRequest.newBuilder()
            .setInstanceId(id)
            .setEvent(MasterWire.cloudEvent(event, id))
            .build();
    for (String workerId : recovery == null ? holders : recovery.holders()) {
      try {
        WorkerInfo w = recovery == null ? view.worker(workerId) : workers.apply(workerId);
        if (w == null) {
          w = view.worker(workerId); // throws naming the worker: counted as not taking it
        }
        calls.add(clients.future(w, CALL_DEADLINE).deliverEvent(req));
      } catch (RuntimeException e) {
        calls.add(Futures.immediateFailedFuture(e));
      }
    }
    CompletableFuture<Boolean> delivered = new CompletableFuture<>();
    // A worker that cannot take it does not hold the waiting node; the others may. Each call has
    // its deadline, so this completes.
    Futures.addCallback(
        Futures.successfulAsList(calls),
        new FutureCallback<List<DeliverEventResponse>>() {
          @Override
          public void onSuccess(List<DeliverEventResponse> answers) {
            delivered.complete(answers.stream().anyMatch(a -> a != null && a.getDelivered()));
          }

          @Override
          public void onFailure(Throwable t) {
            delivered.complete(false);
          }
        },
        MoreExecutors.directExecutor());
    return delivered;
  }

  @Override
  public InstanceReport report() {
    InstanceReport r = finalReport();
    return r != null ? r : build(InstanceState.RUNNING, null, null, null, Set.of(), 0, 0, 0, 0);
  }

  private static <T> void onFailure(
      ListenableFuture<T> f, java.util.function.Consumer<Throwable> handler) {
    Futures.addCallback(
        f,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T result) {}

          @Override
          public void onFailure(Throwable t) {
            handler.accept(t);
          }
        },
        MoreExecutors.directExecutor());
  }
}

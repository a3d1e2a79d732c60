package io.sluice.worker;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceFinishedResponse;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventRouter} over gRPC: edge events go to peers through {@link PeerLinks} (an event for
 * this worker itself goes straight back into its engine); the end of a part goes to the master's
 * ClusterService.InstanceFinished, retried with backoff when the master is unreachable; event waits
 * starting and ending go to the master in order ({@link WaitReports}).
 */
public final class GrpcEventRouter implements EventRouter {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcEventRouter.class);
  static final int FINISH_ATTEMPTS = 6;
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final long CALL_TIMEOUT_SECONDS = 10;

  private final String workerId;
  private final PeerLinks peers;
  private final ClusterServiceGrpc.ClusterServiceStub master;
  private final Scheduler scheduler;
  private final AtomicReference<WorkerEngine> local = new AtomicReference<>();
  private final WaitReports waits;
  private final PartMoves moves;

  /** Where node steps go; a part's end carries those still queued ({@link ProgressReporter}). */
  private final io.sluice.engine.NodeSteps steps;

  public GrpcEventRouter(String workerId, PeerLinks peers, Channel master, Scheduler scheduler) {
    this(workerId, peers, master, scheduler, new PartMoves(), io.sluice.engine.NodeSteps.NONE);
  }

  GrpcEventRouter(
      String workerId,
      PeerLinks peers,
      Channel master,
      Scheduler scheduler,
      PartMoves moves,
      io.sluice.engine.NodeSteps steps) {
    this.steps = steps;
    this.moves = moves;
    this.workerId = workerId;
    this.peers = peers;
    this.master = ClusterServiceGrpc.newStub(master);
    this.scheduler = scheduler;
    this.waits = new WaitReports(workerId, this.master, scheduler);
  }

  /** The engine this router belongs to (it is built with the router, so it is bound after). */
  public void bind(WorkerEngine engine) {
    local.set(engine);
  }

  @Override
  public void send(String toWorker, EdgeEvent event) {
    toWorker = moves.target(event.instanceId(), toWorker);
    if (toWorker.equals(workerId)) {
      local.get().receive(event);
    } else {
      peers.enqueue(toWorker, event);
    }
  }

  @Override
  public void flush() {
    peers.flush();
  }

  @Override
  public void eventWait(EventWaitChange change) {
    waits.add(change);
  }

  @Override
  public java.util.concurrent.CompletionStage<io.sluice.engine.events.EventOutcome> emit(
      io.cloudevents.CloudEvent event) {
    java.util.concurrent.CompletableFuture<io.sluice.engine.events.EventOutcome> routed =
        new java.util.concurrent.CompletableFuture<>();
    master
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .emitEvent(
            io.sluice.proto.EmitEventRequest.newBuilder()
                .setWorkerId(workerId)
                .setEvent(io.sluice.cluster.wire.WireMapper.cloudEvent(event))
                .build(),
            new StreamObserver<io.sluice.proto.EmitEventResponse>() {
              @Override
              public void onNext(io.sluice.proto.EmitEventResponse r) {
                routed.complete(
                    new io.sluice.engine.events.EventOutcome(
                        r.getDeliveredToList(), r.getHeld(), r.getDuplicate(), r.getDetail()));
              }

              @Override
              public void onError(Throwable t) {
                routed.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
    return routed;
  }

  @Override
  public void partFinished(PartResult result) {
    InstanceFinishedRequest plain =
        WireMapper.instanceFinished(result).toBuilder().setReportedBy(workerId).build();
    InstanceFinishedRequest req =
        steps instanceof ProgressReporter reporter
            ? reporter.drainInto(plain.toBuilder()).build()
            : plain;
    Journal journal = moves.journal();
    if (journal.enabled()) {
      // Recorded first, so that a master that restarts meanwhile still hears of it.
      journal
          .partEnded(result.instanceId(), result.workerId(), plain.toByteArray())
          .whenComplete(
              (ok, ex) -> {
                if (ex != null) {
                  InstanceLog.warn(
                      LOG,
                      result.instanceId(),
                      null,
                      "worker {}: the end of instance {} (part {}) is not in the journal: {}",
                      workerId,
                      result.instanceId(),
                      result.workerId(),
                      ex.getMessage());
                }
                report(req, 1, FIRST_RETRY);
              });
      return;
    }
    report(req, 1, FIRST_RETRY);
  }

  private void report(InstanceFinishedRequest req, int attempt, Duration backoff) {
    master
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .instanceFinished(
            req,
            new StreamObserver<InstanceFinishedResponse>() {
              @Override
              public void onNext(InstanceFinishedResponse value) {}

              @Override
              public void onError(Throwable t) {
                if (attempt < FINISH_ATTEMPTS && GrpcErrors.retryable(t)) {
                  InstanceLog.warn(
                      LOG,
                      req.getInstanceId(),
                      null,
                      "worker {} could not report the end of instance {} to the master"
                          + " (attempt {}): {}; retrying in {} ms",
                      workerId,
                      req.getInstanceId(),
                      attempt,
                      t.getMessage(),
                      backoff.toMillis());
                  scheduler.schedule(
                      backoff, () -> report(req, attempt + 1, backoff.multipliedBy(2)));
                } else {
                  InstanceLog.error(
                      LOG,
                      req.getInstanceId(),
                      null,
                      "LOST: worker {} gave up reporting the end of instance {} ({}) to the master"
                          + " after {} attempts: {}. The instance will not complete on the master.",
                      workerId,
                      req.getInstanceId(),
                      req.getStatus().getState(),
                      attempt,
                      t.getMessage());
                }
              }

              @Override
              public void onCompleted() {}
            });
  }
}

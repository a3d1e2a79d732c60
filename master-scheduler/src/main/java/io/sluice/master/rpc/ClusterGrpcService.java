package io.sluice.master.rpc;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.master.Master;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.HeartbeatResponse;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceFinishedResponse;
import io.sluice.proto.NodeObservation;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.RegisterWorkerResponse;
import io.sluice.proto.ReportEventWaitsRequest;
import io.sluice.proto.ReportEventWaitsResponse;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.proto.ReportProgressResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** ClusterService (workers -> master) over {@link Master}. */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {
  private final Master master;

  public ClusterGrpcService(Master master) {
    this.master = master;
  }

  @Override
  public void register(RegisterWorkerRequest req, StreamObserver<RegisterWorkerResponse> out) {
    answer(
        out,
        () -> {
          master.registerWorker(MasterWire.worker(req));
          var hb = master.options().heartbeat();
          return RegisterWorkerResponse.newBuilder()
              .setHeartbeatInterval(
                  com.google.protobuf.Duration.newBuilder()
                      .setSeconds(hb.interval().getSeconds())
                      .setNanos(hb.interval().getNano()))
              .setMissedHeartbeatsAllowed(hb.missedAllowed())
              .setMaxSilence(
                  com.google.protobuf.Duration.newBuilder()
                      .setSeconds(hb.maxSilence().getSeconds())
                      .setNanos(hb.maxSilence().getNano()))
              .build();
        });
  }

  @Override
  public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
    answer(
        out,
        () -> {
          var capacity = PlacementWire.capacity(req);
          if (req.getQueueLength() < 0) {
            throw new IllegalArgumentException("queue_length must not be negative");
          }
          var verdict =
              master
                  .membership()
                  .heartbeat(
                      capacity,
                      req.getQueueLength(),
                      PlacementWire.memory(req),
                      req.getIncarnation());
          if (!verdict.counted()) {
            // not this worker's current run: neither its load nor its observations count
            return HeartbeatResponse.newBuilder()
                .setReregister(true)
                .setReason(verdict.reason())
                .build();
          }
          for (NodeObservation o : req.getObservationsList()) {
            var key = MasterWire.key(o.getWorkflow());
            master.refiner(key).ifPresent(r -> PlacementWire.observe(o, r));
          }
          return HeartbeatResponse.getDefaultInstance();
        });
  }

  @Override
  public void instanceFinished(
      InstanceFinishedRequest req, StreamObserver<InstanceFinishedResponse> out) {
    answer(
        out,
        () -> {
          if (req.getStepsCount() > 0 || req.getStepsDropped() > 0) {
            // the part's last steps, before its end: the history is complete when it ends
            String from = req.getReportedBy().isBlank() ? req.getWorkerId() : req.getReportedBy();
            master.progress().report(from, req.getStepsList(), req.getStepsDropped());
          }
          master.instanceFinished(
              MasterWire.part(req), req.getSerializedSize(), req.getReportedBy());
          return InstanceFinishedResponse.getDefaultInstance();
        });
  }

  @Override
  public void reportEventWaits(
      ReportEventWaitsRequest req, StreamObserver<ReportEventWaitsResponse> out) {
    answer(
        out,
        () -> {
          if (req.getWorkerId().isBlank()) {
            throw new IllegalArgumentException("missing field worker_id");
          }
          List<io.sluice.engine.events.EventWaitChange> changes = new ArrayList<>();
          for (int i = 0; i < req.getChangesCount(); i++) {
            changes.add(MasterWire.eventWait(req.getChanges(i), "changes[" + i + "]"));
          }
          master.eventWaitsChanged(req.getWorkerId(), changes);
          return ReportEventWaitsResponse.getDefaultInstance();
        });
  }

  @Override
  public void reportProgress(
      ReportProgressRequest req, StreamObserver<ReportProgressResponse> out) {
    answer(
        out,
        () -> {
          if (req.getWorkerId().isBlank()) {
            throw new IllegalArgumentException("missing field worker_id");
          }
          if (req.getDropped() < 0) {
            throw new IllegalArgumentException("dropped must not be negative");
          }
          // only records and enqueues to watchers: never waits for a client
          master.progress().report(req.getWorkerId(), req.getStepsList(), req.getDropped());
          return ReportProgressResponse.getDefaultInstance();
        });
  }

  static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T reply;
    try {
      reply = detached(call);
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatusException(e));
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  @Override
  public void emitEvent(
      io.sluice.proto.EmitEventRequest req, StreamObserver<io.sluice.proto.EmitEventResponse> out) {
    java.util.concurrent.CompletionStage<io.sluice.engine.events.EventOutcome> routed;
    try {
      if (!req.hasEvent()) {
        throw new IllegalArgumentException("missing field event");
      }
      io.cloudevents.CloudEvent event = MasterWire.cloudEvent(req.getEvent());
      // routed like SendEvent and POST /events; answered when routing completes
      routed = detached(() -> master.routeEvent(event));
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatusException(e));
      return;
    }
    routed.whenComplete(
        (o, error) -> {
          if (error != null) {
            out.onError(GrpcErrors.toStatusException(error));
            return;
          }
          out.onNext(
              io.sluice.proto.EmitEventResponse.newBuilder()
                  .addAllDeliveredTo(o.instances())
                  .setHeld(o.held())
                  .setDuplicate(o.duplicate())
                  .setDetail(o.detail())
                  .build());
          out.onCompleted();
        });
  }

  /**
   * Runs {@code call} outside the incoming call's context, so that the calls it makes to workers
   * (start, cancel, deploy) outlive the answer instead of being cancelled with it.
   */
  static <T> T detached(Supplier<T> call) {
    Context forked = Context.current().fork();
    Context previous = forked.attach();
    try {
      return call.get();
    } finally {
      forked.detach(previous);
    }
  }
}

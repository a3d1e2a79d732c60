package io.sluice.master.rpc;

import static io.sluice.master.rpc.ClusterGrpcService.answer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.master.Drains;
import io.sluice.master.Master;
import io.sluice.master.auth.AuthInterceptor;
import io.sluice.master.auth.InstanceAccess;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.model.GraphIndex;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.CancelResponse;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.DrainWorkerResponse;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetHistoryResponse;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.GetPlacementRequest;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.InvokeResponse;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListInstancesResponse;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.ListWorkflowsResponse;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RegisterWorkflowResponse;
import io.sluice.proto.SendEventRequest;
import io.sluice.proto.SendEventResponse;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSummary;

/** WorkflowService (clients -> master) over {@link Master}. */
public final class WorkflowGrpcService extends WorkflowServiceGrpc.WorkflowServiceImplBase {
  private final Master master;

  public WorkflowGrpcService(Master master) {
    this.master = master;
  }

  @Override
  public void registerWorkflow(
      RegisterWorkflowRequest req, StreamObserver<RegisterWorkflowResponse> out) {
    answer(
        out,
        () -> {
          var s = req.getSource();
          Master.Registration r =
              master.registerWorkflow(
                  s.getFileName(),
                  s.getDefinitionText(),
                  s.getFormatHint(),
                  req.getFunctionRegistryText(),
                  req.getFunctionRegistryFileName(),
                  admin());
          WorkflowRef ref = MasterWire.ref(r.workflow().key());
          var b =
              RegisterWorkflowResponse.newBuilder().setWorkflow(ref).addAllWarnings(r.warnings());
          if (r.placement() != null) {
            b.setPlacement(PlacementWire.toProto(r.placement(), ref));
          }
          return b.build();
        });
  }

  /**
   * Whether this call's caller has the admin role (its workflows may use any function); false
   * without tokens, where {@code security.allow} decides for everyone.
   */
  static boolean admin() {
    TokenFile.Entry caller = AuthInterceptor.CALLER.get();
    return caller != null && caller.role() == Role.ADMIN;
  }

  private InstanceRun start(InvokeRequest req) {
    master.admission().input(req.getInputJsonBytes().size());
    return master.invoke(
        MasterWire.key(req.getWorkflow()),
        MasterWire.json(req.getInputJson(), "input_json", JsonNodeFactory.instance.objectNode()),
        MasterWire.mode(req.getMode()),
        MasterWire.binding(req.hasOptions(), req.getOptions()),
        req.getInstanceId(),
        InstanceAccess.principal());
  }

  @Override
  public void invoke(InvokeRequest req, StreamObserver<InvokeResponse> out) {
    InstanceRun run;
    try {
      run = ClusterGrpcService.detached(() -> start(req)); // its calls to workers outlive this one
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatusException(e));
      return;
    }
    // Durable: answered once the start is recorded, so a master that dies right after cannot
    // forget an instance its client was told about (a failed record fails the instance).
    run.recorded()
        .whenComplete(
            (ok, ex) -> {
              out.onNext(InvokeResponse.newBuilder().setInstanceId(run.id()).build());
              out.onCompleted();
            });
  }

  @Override
  public void invokeAndWait(InvokeRequest req, StreamObserver<InstanceStatus> out) {
    InstanceRun run;
    try {
      run = ClusterGrpcService.detached(() -> start(req));
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatusException(e));
      return;
    }
    run.done()
        .whenComplete(
            (r, t) -> {
              if (t != null) {
                out.onError(GrpcErrors.toStatusException(t));
              } else {
                out.onNext(MasterWire.status(r));
                out.onCompleted();
              }
            });
  }

  @Override
  public void getInstance(GetInstanceRequest req, StreamObserver<InstanceStatus> out) {
    answer(
        out,
        () -> {
          InstanceAccess.checkCaller(req.getInstanceId(), master::startedBy);
          try {
            return master.views().status(req.getInstanceId());
          } catch (io.sluice.cluster.api.NotFoundException e) {
            return master.recordedStatus(req.getInstanceId()).orElseThrow(() -> e);
          }
        });
  }

  @Override
  public void watchInstance(GetInstanceRequest req, StreamObserver<InstanceUpdate> out) {
    InstanceRun run;
    try {
      InstanceAccess.checkCaller(req.getInstanceId(), master::startedBy);
      run = master.instance(req.getInstanceId());
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      var recorded =
          e instanceof io.sluice.cluster.api.NotFoundException
              ? master.recordedStatus(req.getInstanceId())
              : java.util.Optional.<io.sluice.proto.InstanceStatus>empty();
      if (recorded.isPresent()) { // ended before this master started: its kept final status
        out.onNext(InstanceUpdate.newBuilder().setStatus(recorded.get()).build());
        out.onCompleted();
      } else {
        out.onError(GrpcErrors.toStatusException(e));
      }
      return;
    }
    var progress = master.progress().find(run.id());
    java.util.concurrent.atomic.AtomicReference<Runnable> stop =
        new java.util.concurrent.atomic.AtomicReference<>(() -> {});
    InstanceWatch watch =
        new InstanceWatch(out, master.progress().limits().watchBuffer(), () -> stop.get().run());
    if (progress.isPresent()) {
      // the first status and the subscription are one step: no node change falls between them
      progress.get().listen(watch, nodes -> watch.first(master.views().status(run)));
      stop.set(() -> progress.get().unlisten(watch));
    } else {
      watch.first(master.views().status(run));
    }
    run.done()
        .whenComplete(
            (r, t) -> {
              stop.get().run();
              watch.last(master.views().status(run));
            });
  }

  @Override
  public void listInstances(ListInstancesRequest req, StreamObserver<ListInstancesResponse> out) {
    answer(
        out, () -> master.views().list(req, InstanceAccess.ownOnly(AuthInterceptor.CALLER.get())));
  }

  @Override
  public void getHistory(GetHistoryRequest req, StreamObserver<GetHistoryResponse> out) {
    answer(
        out,
        () -> {
          InstanceAccess.checkCaller(req.getInstanceId(), master::startedBy);
          return master.views().history(req);
        });
  }

  @Override
  public void getLogs(GetLogsRequest req, StreamObserver<GetLogsResponse> out) {
    java.util.concurrent.CompletableFuture<GetLogsResponse> logs;
    try {
      InstanceAccess.checkCaller(req.getInstanceId(), master::startedBy);
      // the calls to workers outlive this handler's context: detached, answered when they end
      logs = ClusterGrpcService.detached(() -> master.views().logs(req));
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatusException(e));
      return;
    }
    logs.whenComplete(
        (r, t) -> {
          if (t != null) {
            out.onError(GrpcErrors.toStatusException(t));
          } else {
            out.onNext(r);
            out.onCompleted();
          }
        });
  }

  @Override
  public void cancel(CancelRequest req, StreamObserver<CancelResponse> out) {
    answer(
        out,
        () ->
            CancelResponse.newBuilder()
                .setState(MasterWire.state(master.cancel(req.getInstanceId(), req.getReason())))
                .build());
  }

  @Override
  public void sendEvent(SendEventRequest req, StreamObserver<SendEventResponse> out) {
    java.util.concurrent.CompletionStage<io.sluice.engine.events.EventOutcome> routed;
    try {
      if (!req.hasEvent()) {
        throw new IllegalArgumentException("missing field event");
      }
      master.admission().event(req.getEvent().getSerializedSize());
      // per principal when clients authenticate (one bucket per token, wherever it connects
      // from), else per host
      String client =
          AuthInterceptor.CALLER.get() != null
              ? AuthInterceptor.CALLER.get().name()
              : io.sluice.master.audit.AuditInterceptor.CLIENT.get();
      master.admission().eventRateOrThrow(client == null ? "unknown" : client);
      io.cloudevents.CloudEvent event = MasterWire.cloudEvent(req.getEvent());
      // answered when routing completes, without holding a gRPC thread meanwhile; an unknown
      // instance id throws here (NOT_FOUND)
      routed =
          ClusterGrpcService.detached(() -> master.routeEvent(event, req.getInstanceId(), null));
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
              SendEventResponse.newBuilder()
                  .addAllDeliveredTo(o.instances())
                  .setHeld(o.held())
                  .setDuplicate(o.duplicate())
                  .setOutcome(o.kind())
                  .setDetail(o.detail())
                  .build());
          out.onCompleted();
        });
  }

  @Override
  public void listWorkflows(ListWorkflowsRequest req, StreamObserver<ListWorkflowsResponse> out) {
    answer(
        out,
        () -> {
          var b = ListWorkflowsResponse.newBuilder();
          for (RegisteredWorkflow w :
              master.workflows(
                  req.getNamePrefix(), req.getAllVersions(), req.getIncludeRetired())) {
            long ms = w.registeredAtMillis();
            var summary = WorkflowSummary.newBuilder();
            master
                .schedules()
                .view(w.key().name())
                .filter(v -> v.key().equals(w.key()))
                .ifPresent(
                    v -> {
                      summary.setSchedule(v.describe());
                      if (v.nextFireMillis() >= 0) {
                        summary.setNextFire(
                            Timestamp.newBuilder()
                                .setSeconds(v.nextFireMillis() / 1000)
                                .setNanos((int) (v.nextFireMillis() % 1000) * 1_000_000));
                      }
                    });
            b.addWorkflows(
                summary
                    .setWorkflow(MasterWire.ref(w.key()))
                    .setNodeCount(w.graph().nodes().size())
                    .setRunningInstances(master.views().running(w.key()))
                    .addAllEntryNodes(GraphIndex.of(w.graph()).entries(w.graph()))
                    .setRetired(master.retired(w.key()))
                    .setRunningInstances(master.runningInstances(w.key()))
                    .setRegistered(
                        Timestamp.newBuilder()
                            .setSeconds(ms / 1000)
                            .setNanos((int) (ms % 1000) * 1_000_000)));
          }
          return b.build();
        });
  }

  @Override
  public void retireWorkflow(
      io.sluice.proto.RetireWorkflowRequest req,
      StreamObserver<io.sluice.proto.RetireWorkflowResponse> out) {
    answer(
        out,
        () -> {
          if (req.getWorkflow().getVersion().isBlank()) {
            throw new IllegalArgumentException(
                "RetireWorkflow needs workflow.version: one version is retired at a time");
          }
          var key = MasterWire.key(req.getWorkflow());
          return io.sluice.proto.RetireWorkflowResponse.newBuilder()
              .setWorkflow(MasterWire.ref(key))
              .setRetired(master.retire(key, !req.getUndo()))
              .setRunningInstances(master.runningInstances(key))
              .build();
        });
  }

  @Override
  public void redrive(
      io.sluice.proto.RedriveRequest req, StreamObserver<io.sluice.proto.RedriveResponse> out) {
    answer(
        out,
        () -> {
          // its calls to workers outlive this one
          var r = ClusterGrpcService.detached(() -> master.redrive(req.getInstanceId()));
          return io.sluice.proto.RedriveResponse.newBuilder()
              .setInstanceId(r.instanceId())
              .setNodesKept(r.nodesKept())
              .setNodesRerun(r.nodesRerun())
              .build();
        });
  }

  @Override
  public void drainWorker(DrainWorkerRequest req, StreamObserver<DrainWorkerResponse> out) {
    answer(
        out,
        () -> {
          Drains.Report r = master.drain(req.getWorkerId(), !req.getUndo());
          return DrainWorkerResponse.newBuilder()
              .setWorkerId(r.worker().id())
              .setDraining(r.draining())
              .setAlive(r.alive())
              .setRunningParts(r.runningParts())
              .addAllRunningInstances(r.instances())
              .build();
        });
  }

  @Override
  public void getPlacement(GetPlacementRequest req, StreamObserver<NodePlacement> out) {
    answer(
        out,
        () -> {
          switch (req.getTargetCase()) {
            case WORKFLOW -> {
              var key = MasterWire.key(req.getWorkflow());
              return PlacementWire.toProto(
                  master.placement(key, req.getPartitioner()), req.getWorkflow());
            }
            case SOURCE -> {
              var s = req.getSource();
              var p =
                  master.placement(s.getFileName(), s.getDefinitionText(), req.getPartitioner());
              return PlacementWire.toProto(
                  p, WorkflowRef.newBuilder().setName(s.getFileName()).build());
            }
            default ->
                throw new IllegalArgumentException(
                    "GetPlacement needs a target: a registered workflow or a source");
          }
        });
  }
}

package io.sluice.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.model.WorkflowGraph;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.HeartbeatResponse;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceFinishedResponse;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.RegisterWorkerResponse;
import io.sluice.proto.ReportEventWaitsRequest;
import io.sluice.proto.ReportEventWaitsResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small real gRPC ClusterService standing in for the master: records what workers tell it and
 * composes each instance's outcome with {@link InstanceCompletion}, as the master does.
 */
final class MasterStandIn implements AutoCloseable {
  final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();
  final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
  final List<PartResult> finished = new CopyOnWriteArrayList<>();
  final List<ReportEventWaitsRequest> waitReports = new CopyOnWriteArrayList<>();
  volatile boolean askToReregister;

  /** Progress reports the stand-in took, in order. */
  final List<io.sluice.proto.ReportProgressRequest> progress = new CopyOnWriteArrayList<>();

  /** Progress reports still to refuse (UNAVAILABLE), as a master that is away. */
  final java.util.concurrent.atomic.AtomicInteger refuseProgress =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Registrations are refused (FAILED_PRECONDITION), as when a later incarnation took the id. */
  volatile boolean refuseRegistrations;

  /** How long each heartbeat takes to answer (a busy master). */
  volatile long heartbeatDelayMs;

  /** Heartbeats the worker gave up on (cancelled, e.g. by their deadline) before the answer. */
  final java.util.concurrent.atomic.AtomicInteger cancelledHeartbeats =
      new java.util.concurrent.atomic.AtomicInteger();

  volatile Duration maxSilence = Duration.ofSeconds(5);
  volatile Duration heartbeatInterval = Duration.ofMillis(100);
  private final Map<String, InstanceCompletion> completions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<InstanceCompletion.Outcome>> outcomes =
      new ConcurrentHashMap<>();
  private final Server server;
  private final ManagedChannel channel;

  MasterStandIn(int port) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(new Calls())
            .build()
            .start();
    channel = NettyChannelBuilder.forTarget(address()).usePlaintext().build();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  int port() {
    return server.getPort();
  }

  /** A channel to this stand-in, for workers' routers. */
  ManagedChannel channel() {
    return channel;
  }

  /** Expects an instance whose parts run on {@code workers}; completes when all parts ended. */
  CompletableFuture<InstanceCompletion.Outcome> expect(
      String instanceId, WorkflowGraph graph, JsonNode input, Set<String> workers) {
    completions.put(instanceId, new InstanceCompletion(graph, input, workers));
    CompletableFuture<InstanceCompletion.Outcome> f = new CompletableFuture<>();
    outcomes.put(instanceId, f);
    return f;
  }

  private final class Calls extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void register(RegisterWorkerRequest req, StreamObserver<RegisterWorkerResponse> r) {
      registrations.add(req);
      if (refuseRegistrations) {
        r.onError(
            io.grpc.Status.FAILED_PRECONDITION
                .withDescription("a newer incarnation of " + req.getWorkerId() + " registered")
                .asRuntimeException());
        return;
      }
      askToReregister = false;
      r.onNext(
          RegisterWorkerResponse.newBuilder()
              .setHeartbeatInterval(WireMapper.duration(heartbeatInterval))
              .setMissedHeartbeatsAllowed(4)
              .setMaxSilence(WireMapper.duration(maxSilence))
              .build());
      r.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> r) {
      heartbeats.add(req);
      long delay = heartbeatDelayMs;
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (io.grpc.Context.current().isCancelled()) {
          cancelledHeartbeats.incrementAndGet();
        }
      }
      r.onNext(HeartbeatResponse.newBuilder().setReregister(askToReregister).build());
      r.onCompleted();
    }

    /** Records the worker's event waits (the master indexes them to route uncorrelated events). */
    @Override
    public void reportEventWaits(
        ReportEventWaitsRequest req, StreamObserver<ReportEventWaitsResponse> r) {
      waitReports.add(req);
      r.onNext(ReportEventWaitsResponse.getDefaultInstance());
      r.onCompleted();
    }

    /** Records a worker's node steps, or refuses them while {@link #refuseProgress} counts. */
    @Override
    public void reportProgress(
        io.sluice.proto.ReportProgressRequest req,
        StreamObserver<io.sluice.proto.ReportProgressResponse> r) {
      if (refuseProgress.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        r.onError(io.grpc.Status.UNAVAILABLE.withDescription("master away").asRuntimeException());
        return;
      }
      progress.add(req);
      r.onNext(io.sluice.proto.ReportProgressResponse.getDefaultInstance());
      r.onCompleted();
    }

    @Override
    public void instanceFinished(
        InstanceFinishedRequest req, StreamObserver<InstanceFinishedResponse> r) {
      if (req.getStepsCount() > 0 || req.getStepsDropped() > 0) {
        // a part's end carries the steps its worker still held, as a progress report would
        progress.add(
            io.sluice.proto.ReportProgressRequest.newBuilder()
                .setWorkerId(
                    req.getReportedBy().isBlank() ? req.getWorkerId() : req.getReportedBy())
                .addAllSteps(req.getStepsList())
                .setDropped(req.getStepsDropped())
                .build());
      }
      try {
        PartResult part = WireMapper.partResult(req);
        finished.add(part);
        InstanceCompletion c = completions.get(part.instanceId());
        if (c != null) {
          c.accept(part).ifPresent(o -> outcomes.get(part.instanceId()).complete(o));
        }
        r.onNext(InstanceFinishedResponse.getDefaultInstance());
        r.onCompleted();
      } catch (RuntimeException e) {
        GrpcErrors.fail(r, e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}

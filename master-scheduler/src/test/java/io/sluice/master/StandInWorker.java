package io.sluice.master;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.cluster.EdgeEvent;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.PartResult;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.engine.cluster.WorkflowKey;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.proto.*;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.wire.GrpcErrors;
import io.sluice.wire.WireMapper;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test stand-in for the worker process: a real {@link WorkerEngine} behind a real WorkerService
 * on loopback, registering and heartbeating to the master over gRPC. Edge events between stand-ins
 * go in memory (the worker process sends them over PeerService); heartbeats can be stopped.
 */
final class StandInWorker extends WorkerServiceGrpc.WorkerServiceImplBase implements AutoCloseable {
  final String id;
  private final Map<String, StandInWorker> fleet;
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
  private final WorkerEngine engine;
  private final Server server;
  private final ManagedChannel master;
  private final ClusterServiceGrpc.ClusterServiceBlockingStub cluster;
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService edges = Executors.newSingleThreadScheduledExecutor();
  volatile boolean heartbeating = true;

  StandInWorker(String id, String masterAddress, Map<String, StandInWorker> fleet)
      throws Exception {
    this.id = id;
    this.fleet = fleet;
    this.engine = WorkerEngine.create(id, EngineOptions.of(runtimes), router(), List.of());
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(this).build().start();
    this.master = Grpc.newChannelBuilder(masterAddress, InsecureChannelCredentials.create())
        .build();
    this.cluster = ClusterServiceGrpc.newBlockingStub(master);
    fleet.put(id, this);
    var reply = cluster.register(RegisterWorkerRequest.newBuilder().setWorkerId(id)
        .setAddress("127.0.0.1:" + server.getPort()).setSlots(8).setMemoryBytes(1 << 30)
        .addRuntimes("synthetic").build());
    long every = WireMapper.duration(reply.getHeartbeatInterval()).toMillis();
    beats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    if (heartbeating) {
      cluster.heartbeat(HeartbeatRequest.newBuilder().setWorkerId(id).setFreeSlots(8)
          .setFreeMemoryBytes(1 << 30).build());
    }
  }

  private EventRouter router() {
    return new EventRouter() {
      @Override
      public void send(String workerId, EdgeEvent event) {
        edges.execute(() -> fleet.get(workerId).engine.receive(event));
      }

      @Override
      public void partFinished(PartResult result) {
        cluster.instanceFinished(WireMapper.instanceFinished(result));
      }
    };
  }

  @Override
  public void deploySubgraph(DeploySubgraphRequest r, StreamObserver<DeploySubgraphResponse> o) {
    try {
      var graph = new WorkflowLoader().load(r.getSource().getFileName(),
          r.getSource().getDefinitionText());
      var binding = WireMapper.binding(r.getOptions(), r.getFunctionRegistryFileName(),
          r.getFunctionRegistryText());
      var local = engine.deploy(WireMapper.workflowKey(r.getWorkflow()), graph,
          WireMapper.placement(r.getPlacement()), binding);
      o.onNext(DeploySubgraphResponse.newBuilder().addAllLocalNodes(local).build());
      o.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(o, e);
    }
  }

  @Override
  public void startInstance(StartInstanceRequest r, StreamObserver<StartInstanceResponse> o) {
    try {
      engine.start(r.getInstanceId(), WireMapper.workflowKey(r.getWorkflow()),
          WireMapper.json(r.getInput(), "input"));
      o.onNext(StartInstanceResponse.getDefaultInstance());
      o.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(o, e);
    }
  }

  @Override
  public void cancelInstance(CancelInstanceRequest r, StreamObserver<CancelInstanceResponse> o) {
    engine.cancel(r.getInstanceId());
    o.onNext(CancelInstanceResponse.getDefaultInstance());
    o.onCompleted();
  }

  @Override
  public void dispatch(DispatchRequest r, StreamObserver<DispatchResponse> o) {
    WorkflowKey key = WireMapper.workflowKey(r.getWorkflow());
    long deadline = r.hasTimeout()
        ? scheduler.nanoTime() + WireMapper.duration(r.getTimeout()).toNanos() : Long.MAX_VALUE;
    engine.dispatch(key, r.getInstanceId(), r.getNodeId(), WireMapper.json(r.getInput(), "input"),
        r.getAttempt(), deadline).whenComplete((v, t) -> {
          var b = DispatchResponse.newBuilder().setWorkerId(id);
          if (t != null) {
            b.setError(WireMapper.errorInfo(t, r.getNodeId(), id));
          } else {
            b.setResult(WireMapper.payload(v));
          }
          o.onNext(b.build());
          o.onCompleted();
        });
  }

  @Override
  public void deliverEvent(DeliverEventRequest r, StreamObserver<DeliverEventResponse> o) {
    boolean ok = engine.deliver(WireMapper.cloudEvent(r.getEvent(), "event"));
    o.onNext(DeliverEventResponse.newBuilder().setDelivered(ok).build());
    o.onCompleted();
  }

  @Override
  public void close() {
    beats.shutdownNow();
    edges.shutdownNow();
    server.shutdownNow();
    master.shutdownNow();
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  static Map<String, StandInWorker> fleet() {
    return new ConcurrentHashMap<>();
  }
}

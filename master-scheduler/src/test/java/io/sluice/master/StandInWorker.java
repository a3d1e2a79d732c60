package io.sluice.master;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.EngineOptions;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker for master tests: the real {@link WorkerNode} (engine, WorkerService, PeerService) on
 * loopback, plus registration and heartbeats to the master over gRPC, which a test can stop.
 */
final class StandInWorker implements AutoCloseable {
  final String id;
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final FunctionRuntimes runtimes;
  private final ManagedChannel master;
  private final WorkerNode node;
  private final ClusterServiceGrpc.ClusterServiceBlockingStub cluster;
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
  volatile boolean heartbeating = true;

  StandInWorker(String id, String masterAddress, Map<String, StandInWorker> fleet) {
    this(id, masterAddress, fleet, null);
  }

  /** With FaaStore built from {@code store} (null: values inline in edge events). */
  StandInWorker(
      String id, String masterAddress, Map<String, StandInWorker> fleet, StoreConfig store) {
    this(id, masterAddress, fleet, store, FunctionAllowList.ANY);
  }

  /** Whose runtimes check untrusted deployments against {@code allow} (security.allow). */
  StandInWorker(
      String id,
      String masterAddress,
      Map<String, StandInWorker> fleet,
      StoreConfig store,
      FunctionAllowList allow) {
    this.id = id;
    this.runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler).withAllow(allow));
    this.master =
        Grpc.newChannelBuilder(masterAddress, InsecureChannelCredentials.create()).build();
    this.node =
        new WorkerNode(
            id,
            "127.0.0.1",
            0,
            master,
            EngineOptions.of(runtimes),
            List.of(),
            PeerLinkOptions.DEFAULT,
            store);
    this.cluster = ClusterServiceGrpc.newBlockingStub(master);
    fleet.put(id, this);
    var reply =
        cluster.register(
            RegisterWorkerRequest.newBuilder()
                .setWorkerId(id)
                .setAddress(node.address())
                .setSlots(8)
                .setMemoryBytes(1 << 30)
                .addRuntimes("synthetic")
                .build());
    long every = WireMapper.duration(reply.getHeartbeatInterval()).toMillis();
    beats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    if (heartbeating) {
      cluster.heartbeat(
          HeartbeatRequest.newBuilder()
              .setWorkerId(id)
              .setFreeSlots(8)
              .setFreeMemoryBytes(1 << 30)
              .build());
    }
  }

  @Override
  public void close() {
    beats.shutdownNow();
    node.close();
    master.shutdownNow();
    runtimes.close();
    scheduler.close();
  }

  /** The address of its WorkerService and PeerService. */
  String address() {
    return node.address();
  }

  static Map<String, StandInWorker> fleet() {
    return new ConcurrentHashMap<>();
  }
}

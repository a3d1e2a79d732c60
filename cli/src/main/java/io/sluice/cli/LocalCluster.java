package io.sluice.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.engine.EngineOptions;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A master and {@code n} workers inside this JVM, talking real gRPC on loopback ephemeral ports
 * ({@code sluice run --workers N}). Each worker registers with the master and heartbeats its slots.
 * Wiring only.
 */
final class LocalCluster implements AutoCloseable {
  private static final int SLOTS = 8;
  private static final long MEMORY = 512L << 20;

  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
  private final Master master;
  private final MasterServer server;
  private final ManagedChannel channel;
  private final List<WorkerNode> workers = new ArrayList<>();
  private final ScheduledExecutorService beats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sluice-heartbeats");
            t.setDaemon(true);
            return t;
          });

  LocalCluster(int n) {
    this(n, null);
  }

  /** {@code store}: the workers' FaaStore (null: values travel inline in edge events). */
  LocalCluster(int n, io.sluice.cluster.config.StoreConfig store) {
    HeartbeatConfig hb = HeartbeatConfig.DEFAULT;
    master = new Master(MasterOptions.defaults().withHeartbeat(hb), scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    channel =
        Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create())
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
    var cluster = ClusterServiceGrpc.newBlockingStub(channel);
    for (int i = 1; i <= n; i++) {
      WorkerNode w =
          new WorkerNode(
              "w" + i,
              "127.0.0.1",
              0,
              channel,
              EngineOptions.of(runtimes),
              List.of(),
              PeerLinkOptions.DEFAULT,
              store);
      workers.add(w);
      cluster.register(
          RegisterWorkerRequest.newBuilder()
              .setWorkerId(w.workerId())
              .setAddress(w.address())
              .setSlots(SLOTS)
              .setMemoryBytes(MEMORY)
              .build());
    }
    long every = hb.interval().toMillis();
    beats.scheduleAtFixedRate(
        () ->
            workers.forEach(
                w -> {
                  try {
                    cluster.heartbeat(
                        HeartbeatRequest.newBuilder()
                            .setWorkerId(w.workerId())
                            .setFreeSlots(SLOTS)
                            .setFreeMemoryBytes(MEMORY)
                            .build());
                  } catch (RuntimeException e) {
                    // the master is shutting down
                  }
                }),
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /** The master's gRPC address. */
  String address() {
    return server.address();
  }

  @Override
  public void close() {
    beats.shutdownNow();
    channel.shutdownNow();
    server.close();
    // Close every worker's outgoing peer streams first, so no worker sees a peer vanish mid-stream.
    workers.forEach(w -> w.peers().close());
    workers.forEach(WorkerNode::close);
    master.close();
    runtimes.close();
    scheduler.close();
  }
}

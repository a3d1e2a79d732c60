package io.sluice.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.durable.Journal;
import io.sluice.engine.EngineOptions;
import io.sluice.master.ExecutionMode;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.partition.Partitioner;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.MasterRegistration;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A master and three workers in one JVM over gRPC on loopback, sharing one journal (or none), with
 * fast heartbeats (100 ms; a silent worker is dead after at most 2 s) and hash placement, so a
 * chain's nodes spread over all workers. Its {@code step} function appends its node id to the
 * input's {@code path}, takes {@code stepMillis} and records when each call started, by idempotency
 * key.
 */
final class DurableCluster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Eight steps, each appending its node id to {@code path}. */
  static final String CHAIN =
      """
      sluice: "1.0"
      name: durable-chain
      version: "1"
      functions:
        step: {runtime: java, async: true}
      nodes:
        - {id: a, type: task, function: step, next: b}
        - {id: b, type: task, function: step, next: c}
        - {id: c, type: task, function: step, next: d}
        - {id: d, type: task, function: step, next: e}
        - {id: e, type: task, function: step, next: f}
        - {id: f, type: task, function: step, next: g}
        - {id: g, type: task, function: step, next: h}
        - {id: h, type: task, function: step}
      """;

  private static final HeartbeatConfig HEARTBEAT =
      new HeartbeatConfig(
          Duration.ofMillis(100), 5, 8.0, Duration.ofMillis(50), Duration.ofSeconds(2));

  final SystemScheduler scheduler = new SystemScheduler(2);
  final Map<String, List<Long>> callStarts = new ConcurrentHashMap<>();

  /** Nodes whose {@code step} call fails (not retryable) while they are in this set. */
  final java.util.Set<String> failing = ConcurrentHashMap.newKeySet();

  final Map<String, WorkerNode> workers = new LinkedHashMap<>();
  private final Journal journal;
  private final long stepMillis;
  private final List<FunctionRuntimes> runtimes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Map<String, MasterRegistration> registrations = new LinkedHashMap<>();
  private Master master;
  private MasterServer server;

  /** {@code journal}: {@link Journal#NONE} for a cluster without durability. */
  DurableCluster(Journal journal, long stepMillis) {
    this.journal = journal;
    this.stepMillis = stepMillis;
    startMaster(0);
    for (String id : List.of("w1", "w2", "w3")) {
      startWorker(id);
    }
  }

  Master master() {
    return master;
  }

  private void startMaster(int port) {
    master =
        new Master(
            MasterOptions.defaults().withHeartbeat(HEARTBEAT).withPartitioner(Partitioner.hash()),
            scheduler);
    if (journal.enabled()) {
      master.journal(journal);
    }
    server = MasterServer.start(master, "127.0.0.1", port);
  }

  /** Starts worker {@code id} and registers it (a worker that joins, or one more). */
  void startWorker(String id) {
    RuntimeOptions o = RuntimeOptions.of(scheduler);
    JavaRuntime java =
        JavaRuntime.create(o)
            .register(
                "step",
                (in, ctx) -> {
                  callStarts
                      .computeIfAbsent(ctx.idempotencyKey(), k -> new CopyOnWriteArrayList<>())
                      .add(System.nanoTime());
                  if (failing.contains(ctx.nodeId())) {
                    throw new io.sluice.runtime.FunctionException(
                        "Injected",
                        "node " + ctx.nodeId() + " fails while the test says so",
                        false);
                  }
                  try {
                    Thread.sleep(stepMillis); // a function's work; a worker may die meanwhile
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ObjectNode out = JSON.createObjectNode();
                  out.put("path", in.path("path").asText() + ctx.nodeId());
                  return out;
                });
    FunctionRuntimes rt = FunctionRuntimes.load(o);
    runtimes.add(rt);
    ManagedChannel channel =
        Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
    channels.add(channel);
    WorkerNode node =
        new WorkerNode(
            id,
            "127.0.0.1",
            0,
            channel,
            EngineOptions.of(rt).withThreads(2),
            List.of(java),
            PeerLinkOptions.DEFAULT);
    if (journal.enabled()) {
      node.journal(journal);
    }
    workers.put(id, node);
    MasterRegistration r =
        MasterRegistration.of(
            node,
            8,
            256L << 20,
            rt.kinds(),
            channel,
            server.address(),
            scheduler,
            HEARTBEAT.interval());
    r.register(Duration.ofSeconds(10));
    registrations.put(id, r);
  }

  /** Stops a worker as kill -9 leaves it, seen from the others: no heartbeats, server gone. */
  void kill(String worker) {
    registrations.remove(worker).close();
    workers.get(worker).close();
  }

  /** Stops the master and starts a new one on the same address (the workers stay). */
  void restartMaster() {
    int port = Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
    server.close();
    master.close();
    startMaster(port);
  }

  /** Starts {@code n} instances of {@code key} with inputs {@code {path: "<i>:"}}. */
  List<InstanceRun> start(WorkflowKey key, String prefix, int n) {
    List<InstanceRun> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(
          master.invoke(
              key,
              JSON.createObjectNode().put("path", i + ":"),
              ExecutionMode.WORKER,
              null,
              prefix + i));
    }
    return runs;
  }

  @Override
  public void close() {
    registrations.values().forEach(MasterRegistration::close);
    channels.forEach(ManagedChannel::shutdownNow);
    server.close();
    workers.values().forEach(w -> w.peers().close());
    workers.values().forEach(WorkerNode::close);
    master.close();
    runtimes.forEach(FunctionRuntimes::close);
    scheduler.close();
  }
}

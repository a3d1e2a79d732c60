package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.durable.CallOutcome;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.engine.EngineOptions;
import io.sluice.master.ExecutionMode;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.partition.Partitioner;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.MasterRegistration;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A durable cluster in one JVM (master and three workers over gRPC on loopback, the in-memory
 * journal standing in for Redis): a worker that dies mid-instance has its parts moved to the live
 * workers, every instance completes with the output it would have had, and no call whose outcome
 * was recorded is made again.
 */
@IntegrationTest
class DurableRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Eight steps, each appending its node id to {@code path}; hash placement spreads them. */
  private static final String CHAIN =
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

  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final RecordingJournal journal = new RecordingJournal();
  private final Map<String, List<Long>> callStarts = new ConcurrentHashMap<>();
  private final List<FunctionRuntimes> runtimes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Map<String, WorkerNode> workers = new LinkedHashMap<>();
  private final Map<String, MasterRegistration> registrations = new LinkedHashMap<>();
  private Master master;
  private MasterServer server;

  /** The in-memory journal, remembering when each call's outcome was first recorded. */
  static final class RecordingJournal extends io.sluice.cluster.durable.ForwardingJournal {
    final MemoryJournal inner;
    final Map<String, Long> recordedAt = new ConcurrentHashMap<>();

    RecordingJournal() {
      this(new MemoryJournal());
    }

    private RecordingJournal(MemoryJournal inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    public CompletionStage<CallOutcome> called(String id, String key, CallOutcome outcome) {
      recordedAt.putIfAbsent(key, System.nanoTime());
      return super.called(id, key, outcome);
    }
  }

  private static final HeartbeatConfig HEARTBEAT =
      new HeartbeatConfig(
          Duration.ofMillis(100), 5, 8.0, Duration.ofMillis(50), Duration.ofSeconds(2));

  private void startMaster(boolean durable, int port) {
    master =
        new Master(
            MasterOptions.defaults().withHeartbeat(HEARTBEAT).withPartitioner(Partitioner.hash()),
            scheduler);
    if (durable) {
      master.journal(journal);
    }
    server = MasterServer.start(master, "127.0.0.1", port);
  }

  private void startCluster(boolean durable) {
    HeartbeatConfig hb = HEARTBEAT;
    startMaster(durable, 0);
    for (String id : List.of("w1", "w2", "w3")) {
      RuntimeOptions o = RuntimeOptions.of(scheduler);
      JavaRuntime java =
          JavaRuntime.create(o)
              .register(
                  "step",
                  (in, ctx) -> {
                    callStarts
                        .computeIfAbsent(ctx.idempotencyKey(), k -> new CopyOnWriteArrayList<>())
                        .add(System.nanoTime());
                    try {
                      Thread.sleep(40); // a function's work; a worker may die meanwhile
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
      if (durable) {
        node.journal(journal);
      }
      workers.put(id, node);
      MasterRegistration r =
          MasterRegistration.of(
              node, 8, 256L << 20, rt.kinds(), channel, server.address(), scheduler, hb.interval());
      r.register(Duration.ofSeconds(10));
      registrations.put(id, r);
    }
  }

  @AfterEach
  void close() {
    registrations.values().forEach(MasterRegistration::close);
    channels.forEach(ManagedChannel::shutdownNow);
    if (server != null) {
      server.close();
    }
    workers.values().forEach(w -> w.peers().close());
    workers.values().forEach(WorkerNode::close);
    if (master != null) {
      master.close();
    }
    runtimes.forEach(FunctionRuntimes::close);
    scheduler.close();
  }

  @Test
  void aWorkerThatDiesMidInstanceLosesNothing() throws Exception {
    startCluster(true);
    var reg = master.registerWorkflow("durable-chain.yaml", CHAIN, "", "", "");
    Map<String, String> placement = reg.placement().workers();
    assertThat(new java.util.TreeSet<>(placement.values())).hasSize(3);
    String victim = placement.get("d");

    List<InstanceRun> started = startAndKill(reg.workflow().key(), victim);
    List<CompletableFuture<InstanceReport>> runs = new ArrayList<>();
    started.forEach(r -> runs.add(r.done()));

    for (int i = 0; i < runs.size(); i++) {
      InstanceReport r = runs.get(i).get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      JsonNode out = r.output();
      assertThat(out.toString()).as(r.toString()).contains(i + ":abcdefgh");
    }
    // No call whose outcome was recorded was started again afterwards.
    List<String> repeated = new ArrayList<>();
    int rerun = 0;
    for (var e : callStarts.entrySet()) {
      Long recorded = journal.recordedAt.get(e.getKey());
      for (long start : e.getValue()) {
        if (recorded != null && start > recorded) {
          repeated.add(e.getKey());
        }
      }
      rerun += e.getValue().size() - 1;
    }
    assertThat(repeated).as("calls made again after their outcome was recorded").isEmpty();
    int moved = 0;
    for (InstanceRun r : started) {
      moved += ((io.sluice.master.instance.WorkerSpRun) r).partsMoved();
    }
    assertThat(moved).as("parts moved from the dead worker").isPositive();
    System.out.printf(
        "durable recovery: 30 instances, victim %s, %d parts moved, %d calls, %d started again"
            + " (running when it died), %d outcomes offered twice%n",
        victim, moved, callStarts.size(), rerun, journal.inner.duplicateCalls());
  }

  /**
   * The master stops mid-instance and a new one starts on its address with the same journal: it
   * reads the workflows and running instances back, the workers register again, and every instance
   * completes; ends reported while no master listened are read from the journal.
   */
  @Test
  void aMasterThatRestartsMidInstanceLosesNothing() throws Exception {
    startCluster(true);
    var reg = master.registerWorkflow("durable-chain.yaml", CHAIN, "", "", "");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(
          master
              .invoke(
                  reg.workflow().key(),
                  JSON.createObjectNode().put("path", i + ":"),
                  ExecutionMode.WORKER,
                  null,
                  "restart-" + i)
              .id());
    }
    org.awaitility.Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> callStarts.size() >= 60);
    int port = Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
    server.close();
    master.close();
    Thread.onSpinWait();
    startMaster(true, port);

    for (int i = 0; i < ids.size(); i++) {
      InstanceReport r = master.instance(ids.get(i)).done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.output().toString()).as(r.toString()).contains(i + ":abcdefgh");
    }
    assertThat(journal.inner.running().toCompletableFuture().get()).isEmpty();
  }

  /** The same death without durability fails the instances that had nodes there: the contrast. */
  @Test
  void withoutDurabilityTheSameDeathFailsInstances() throws Exception {
    startCluster(false);
    var reg = master.registerWorkflow("durable-chain.yaml", CHAIN, "", "", "");
    String victim = reg.placement().workers().get("d");
    int failed = 0;
    for (InstanceRun r : startAndKill(reg.workflow().key(), victim)) {
      InstanceReport report = r.done().get(60, TimeUnit.SECONDS);
      if (report.state() == InstanceState.FAILED) {
        assertThat(report.error().type()).isEqualTo("WorkerLost");
        failed++;
      }
    }
    assertThat(failed).isPositive();
  }

  /**
   * Starts 30 instances, then kills {@code victim} once about a quarter of their calls returned: no
   * more heartbeats, its server and engine gone (what kill -9 leaves, seen from the others).
   */
  private List<InstanceRun> startAndKill(io.sluice.cluster.api.WorkflowKey key, String victim) {
    List<InstanceRun> runs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      runs.add(
          master.invoke(
              key,
              JSON.createObjectNode().put("path", i + ":"),
              ExecutionMode.WORKER,
              null,
              "durable-" + i));
    }
    org.awaitility.Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> callStarts.size() >= 60);
    registrations.get(victim).close();
    workers.get(victim).close();
    return runs;
  }
}

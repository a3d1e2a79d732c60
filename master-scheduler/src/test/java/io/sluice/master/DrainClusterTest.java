package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.engine.EngineOptions;
import io.sluice.master.partition.Partitioner;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.DrainWorkerResponse;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.GetPlacementRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.MasterRegistration;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Draining a worker of a running cluster (a master and three in-JVM workers over gRPC): new
 * instances, in both modes, avoid it; the instances that had parts there complete; the count of
 * parts still on it reaches 0. When every worker drains, new instances are refused.
 */
@IntegrationTest // the master over Netty with three in-JVM workers that register and heartbeat
class DrainClusterTest {
  private static final HeartbeatConfig HEARTBEAT = new HeartbeatConfig(Duration.ofMillis(100), 20);

  /** Six parallel synthetic steps of 1.5 s and a join: long enough to drain during them. */
  private static final String FLOW =
      """
      sluice: "1.0"
      name: drained
      version: "1"
      functions:
        step: {runtime: synthetic, computeMs: 1500, outputBytes: 16}
        join: {runtime: synthetic, computeMs: 1, outputBytes: 16}
      nodes:
        - {id: fan, type: pass, next: [s1, s2, s3, s4, s5, s6]}
        - {id: s1, type: task, function: step, next: j}
        - {id: s2, type: task, function: step, next: j}
        - {id: s3, type: task, function: step, next: j}
        - {id: s4, type: task, function: step, next: j}
        - {id: s5, type: task, function: step, next: j}
        - {id: s6, type: task, function: step, next: j}
        - {id: j, type: task, function: join}
      """;

  /** A worker the way a worker process is one: a node plus its registration and heartbeats. */
  private static final class Worker implements AutoCloseable {
    final SystemScheduler scheduler = new SystemScheduler(1);
    final FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    final ManagedChannel channel;
    final WorkerNode node;
    final MasterRegistration registration;

    Worker(String id, String master) {
      channel = Grpc.newChannelBuilder(master, InsecureChannelCredentials.create()).build();
      node =
          new WorkerNode(
              id,
              "127.0.0.1",
              0,
              channel,
              EngineOptions.of(runtimes),
              List.of(),
              PeerLinkOptions.DEFAULT);
      registration =
          MasterRegistration.of(
              node, 8, 1 << 30, runtimes.kinds(), channel, master, scheduler, HEARTBEAT.interval());
      registration.register(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
      registration.close();
      node.close();
      channel.shutdownNow();
      runtimes.close();
      scheduler.close();
    }
  }

  private SystemScheduler scheduler;
  private Master master;
  private MasterServer server;
  private ManagedChannel channel;
  private final List<Worker> workers = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    scheduler = new SystemScheduler(2);
    // hash placement spreads the parallel steps over every worker
    master =
        new Master(
            MasterOptions.defaults().withHeartbeat(HEARTBEAT).withPartitioner(Partitioner.hash()),
            scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
    for (String id : List.of("w1", "w2", "w3")) {
      workers.add(new Worker(id, server.address()));
    }
  }

  @AfterEach
  void stopCluster() {
    channel.shutdownNow();
    workers.forEach(Worker::close);
    server.close();
    master.close();
    scheduler.close();
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client() {
    return WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private InvokeRequest invocation(WorkflowRef ref, Mode mode) {
    return InvokeRequest.newBuilder()
        .setWorkflow(ref)
        .setMode(mode)
        .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(1))
        .build();
  }

  private DrainWorkerResponse drain(String worker, boolean undo) {
    return client()
        .drainWorker(DrainWorkerRequest.newBuilder().setWorkerId(worker).setUndo(undo).build());
  }

  private InstanceStatus status(String id) {
    return client().getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
  }

  @Test
  void aDrainedWorkerGetsNoNewPartsWhileItsRunningPartsFinish() {
    WorkflowRef ref =
        client()
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("drained.yaml")
                            .setDefinitionText(FLOW))
                    .build())
            .getWorkflow();
    Map<String, Integer> perWorker =
        client()
            .getPlacement(GetPlacementRequest.newBuilder().setWorkflow(ref).build())
            .getNodesPerWorkerMap();
    assertThat(perWorker).as("the steps must spread over several workers").hasSizeGreaterThan(1);
    String drained = perWorker.keySet().stream().sorted().findFirst().orElseThrow();

    List<String> before = new ArrayList<>();
    for (Mode mode : List.of(Mode.MODE_WORKER, Mode.MODE_WORKER, Mode.MODE_MASTER)) {
      before.add(client().invoke(invocation(ref, mode)).getInstanceId());
    }
    DrainWorkerResponse first = drain(drained, false);
    assertThat(first.getWorkerId()).isEqualTo(drained);
    assertThat(first.getDraining()).isTrue();
    assertThat(first.getAlive()).isTrue();
    // the earlier instances run for 1.5 s at least, and each has a part there
    assertThat(first.getRunningParts()).isPositive().isLessThanOrEqualTo(before.size());
    assertThat(first.getRunningInstancesList()).isSubsetOf(before);

    // new instances, in both modes, run on the other workers while the earlier ones still run
    for (Mode mode : List.of(Mode.MODE_WORKER, Mode.MODE_MASTER)) {
      InstanceStatus s =
          client().withDeadlineAfter(60, TimeUnit.SECONDS).invokeAndWait(invocation(ref, mode));
      assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
      assertThat(s.getWorkersUsedList()).as(mode.toString()).isNotEmpty().doesNotContain(drained);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> drain(drained, false).getRunningParts() == 0);
    for (String id : before) {
      InstanceStatus s = status(id);
      assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    }
    // the worker-mode ones ran their steps there, draining or not
    assertThat(status(before.get(0)).getWorkersUsedList()).contains(drained);
    // heartbeats kept it alive all along
    assertThat(master.membership().alive(drained)).isTrue();
  }

  @Test
  void everyWorkerDrainingRefusesNewInstancesAndUndoTakesThemAgain() {
    WorkflowRef ref =
        client()
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("drained.yaml")
                            .setDefinitionText(FLOW))
                    .build())
            .getWorkflow();
    assertThatThrownBy(() -> drain("w9", false))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageContaining("no worker w9");

    for (String w : List.of("w1", "w2", "w3")) {
      assertThat(drain(w, false).getRunningParts()).isZero();
    }
    assertThatThrownBy(() -> client().invoke(invocation(ref, Mode.MODE_WORKER)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("every live worker is draining (w1, w2, w3)");

    assertThat(drain("w2", true).getDraining()).isFalse();
    InstanceStatus s = client().invokeAndWait(invocation(ref, Mode.MODE_WORKER));
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(s.getWorkersUsedList()).containsExactly("w2");
  }
}

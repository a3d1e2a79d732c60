package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.engine.EngineOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker killed and started again under its id and address (a process restart) rejoins with a new
 * incarnation, and instances of a workflow deployed before the restart complete: the master deploys
 * to the new incarnation instead of reusing the deployment the old one held.
 */
@IntegrationTest // the master over Netty with in-JVM workers that register and heartbeat
class WorkerRejoinTest {
  private static final Path GENOME =
      MasterClusterTest.CORPUS.resolve("faasflow/genome/flat_workflow.yaml");
  private static final HeartbeatConfig HEARTBEAT = new HeartbeatConfig(Duration.ofMillis(100), 10);

  /** A worker the way a worker process is one: a node plus its registration and heartbeats. */
  private static final class Worker implements AutoCloseable {
    final SystemScheduler scheduler = new SystemScheduler(1);
    final FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    final ManagedChannel channel;
    final WorkerNode node;
    final MasterRegistration registration;

    Worker(String id, int port, String master) {
      channel = Grpc.newChannelBuilder(master, InsecureChannelCredentials.create()).build();
      node =
          new WorkerNode(
              id,
              "127.0.0.1",
              port,
              channel,
              EngineOptions.of(runtimes),
              List.of(),
              PeerLinkOptions.DEFAULT);
      registration =
          MasterRegistration.of(
              node, 8, 1 << 30, runtimes.kinds(), channel, master, scheduler, HEARTBEAT.interval());
      registration.register(Duration.ofSeconds(10));
    }

    int port() {
      String a = node.address();
      return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
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
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;
  private final List<Worker> workers = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    scheduler = new SystemScheduler(2);
    master = new Master(MasterOptions.defaults().withHeartbeat(HEARTBEAT), scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stopCluster() {
    channel.shutdownNow();
    workers.forEach(Worker::close);
    server.close();
    master.close();
    scheduler.close();
  }

  private InstanceStatus run(WorkflowRef ref) {
    return client
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .invokeAndWait(
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setMode(Mode.MODE_WORKER)
                .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(0))
                .build());
  }

  @Test
  void aWorkerRestartedUnderItsIdGetsTheEarlierDeploymentsAgain() throws Exception {
    workers.add(new Worker("w1", 0, server.address()));
    Worker w2 = new Worker("w2", 0, server.address());
    workers.add(w2);
    WorkflowRef ref =
        client
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName(GENOME.toString())
                            .setDefinitionText(Files.readString(GENOME)))
                    .build())
            .getWorkflow();
    assertThat(
            client
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .getPlacement(GetPlacementRequest.newBuilder().setWorkflow(ref).build())
                .getNodesPerWorkerMap())
        .as("genome must have nodes on w2 for the restart to matter")
        .containsKey("w2");
    InstanceStatus before = run(ref);
    assertThat(before.getState())
        .as(before.toString())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);

    // kill w2 and start it again under the same id and address: it knows no deployment now
    int port = w2.port();
    long first = w2.registration.incarnation();
    assertThat(master.membership().find("w2").orElseThrow().incarnation()).isEqualTo(first);
    workers.remove(w2);
    w2.close();
    Worker again = new Worker("w2", port, server.address());
    workers.add(again);
    assertThat(again.node.address()).isEqualTo("127.0.0.1:" + port);
    assertThat(again.registration.incarnation()).isGreaterThan(first);
    assertThat(master.membership().find("w2").orElseThrow().incarnation())
        .isEqualTo(again.registration.incarnation());
    assertThat(master.membership().alive("w2")).isTrue();

    for (int i = 0; i < 3; i++) {
      InstanceStatus after = run(ref);
      assertThat(after.getState())
          .as("instance %d after the restart: %s", i, after)
          .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
      assertThat(after.getWorkersUsedList()).contains("w2");
    }
  }
}

package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A worker process against a master stand-in: registration, heartbeats, health, a lost master. */
@IntegrationTest // a worker process against a master stand-in over gRPC
class WorkerProcessTest {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ClusterConfig config(int masterPort) throws Exception {
    return config(masterPort, "");
  }

  private static ClusterConfig config(int masterPort, String extra) throws Exception {
    String yaml =
        "name: t\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + masterPort
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 4}\n"
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + ", slots: 3, memory: 64MB}\n"
            + extra;
    return ClusterConfig.parse("t.yaml", yaml, Map.of());
  }

  @Test
  void registersHeartbeatsAndAnswersHealth() throws Exception {
    try (MasterStandIn master = new MasterStandIn(0)) {
      master.heartbeatInterval = Duration.ofMillis(50);
      ClusterConfig config = config(master.port());
      try (WorkerProcess w =
          WorkerProcess.start(
              config, "w1", new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
        assertThat(master.registrations).hasSize(1);
        var reg = master.registrations.get(0);
        assertThat(reg.getWorkerId()).isEqualTo("w1");
        assertThat(reg.getSlots()).isEqualTo(3);
        assertThat(reg.getMemoryBytes()).isEqualTo(64_000_000L);
        assertThat(reg.getAddress()).isEqualTo(w.node().address());
        assertThat(reg.getRuntimesList()).contains("java", "synthetic");
        assertThat(reg.getIncarnation()).isPositive();
        Awaitility.await().until(() -> master.heartbeats.size() >= 3);
        assertThat(master.heartbeats.get(0).getFreeSlots()).isEqualTo(3);
        assertThat(master.heartbeats.get(0).getIncarnation()).isEqualTo(reg.getIncarnation());
        master.askToReregister = true;
        Awaitility.await().until(() -> master.registrations.size() == 2);
        // registering again after the master forgot it (or declared it dead): the same run
        assertThat(master.registrations.get(1).getIncarnation()).isEqualTo(reg.getIncarnation());
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + w.httpPort() + "/health"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ok\"").contains("w1");
      }
    }
  }

  @Test
  void reportsNodeStepsToTheMasterAndKeepsCallLogsAsItsConfigSays() throws Exception {
    try (MasterStandIn master = new MasterStandIn(0)) {
      ClusterConfig config =
          config(master.port(), "progress: {interval: 20ms}\nlogs: {entrySize: 4}\n");
      try (WorkerProcess w =
          WorkerProcess.start(
              config, "w1", new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
        assertThat(w.progress()).isInstanceOf(ProgressReporter.class);
        String flow =
            """
            sluice: "1.0"
            name: one
            version: "1"
            functions:
              say: {runtime: process, command: "echo hello >&2; echo 1"}
            nodes:
              - {id: a, type: task, function: say}
            """;
        io.grpc.ManagedChannel ch =
            io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(w.node().address())
                .usePlaintext()
                .build();
        try {
          var stub = io.sluice.proto.WorkerServiceGrpc.newBlockingStub(ch);
          var ref = io.sluice.proto.WorkflowRef.newBuilder().setName("one").setVersion("1");
          stub.deploySubgraph(
              io.sluice.proto.DeploySubgraphRequest.newBuilder()
                  .setWorkflow(ref)
                  .setSource(
                      io.sluice.proto.WorkflowSource.newBuilder()
                          .setFileName("one.yaml")
                          .setDefinitionText(flow))
                  .setPlacement(
                      io.sluice.proto.NodePlacement.newBuilder()
                          .addAllAssignments(
                              io.sluice.cluster.wire.WireMapper.assignments(Map.of("a", "w1"))))
                  .addPeers(
                      io.sluice.proto.PeerAddress.newBuilder()
                          .setWorkerId("w1")
                          .setAddress(w.node().address()))
                  .build());
          stub.startInstance(
              io.sluice.proto.StartInstanceRequest.newBuilder()
                  .setInstanceId("i1")
                  .setWorkflow(ref)
                  .build());
          Awaitility.await()
              .until(
                  () ->
                      master.progress.stream()
                          .flatMap(r -> r.getStepsList().stream())
                          .map(s -> s.getNodeId() + " " + s.getState())
                          .toList()
                          .equals(List.of("a started", "a completed")));
          var logs =
              stub.getLogs(io.sluice.proto.GetLogsRequest.newBuilder().setInstanceId("i1").build());
          assertThat(logs.getEntriesList())
              .singleElement()
              .satisfies(
                  e -> {
                    assertThat(e.getText()).isEqualTo("llo\n"); // the last 4 bytes (entrySize)
                    assertThat(e.getTruncated()).isTrue();
                  });
        } finally {
          ch.shutdownNow();
        }
      }
    }
  }

  @Test
  void progressOffSendsNothing() throws Exception {
    try (MasterStandIn master = new MasterStandIn(0)) {
      try (WorkerProcess w =
          WorkerProcess.start(
              config(master.port(), "progress: off\n"),
              "w1",
              new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
        assertThat(w.progress()).isSameAs(io.sluice.engine.NodeSteps.NONE);
        assertThat(w.node().logs()).isNotNull();
      }
    }
  }

  @Test
  void aSlowHeartbeatIsWaitedForAndARefusedRegistrationStopsTheHeartbeats() throws Exception {
    try (MasterStandIn master = new MasterStandIn(0)) {
      master.heartbeatInterval = Duration.ofMillis(50);
      master.maxSilence = Duration.ofSeconds(5);
      ClusterConfig config = config(master.port());
      try (WorkerProcess w =
          WorkerProcess.start(
              config, "w1", new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
        // answers take 6 intervals (formerly past the 2-interval deadline): the worker waits
        master.heartbeatDelayMs = 300;
        int before = master.heartbeats.size();
        Awaitility.await().until(() -> master.heartbeats.size() >= before + 3);
        assertThat(master.cancelledHeartbeats.get()).isZero();
        master.heartbeatDelayMs = 0;

        // a later incarnation took the id: this one's registration is refused, it stops
        int registrations = master.registrations.size();
        master.refuseRegistrations = true;
        master.askToReregister = true;
        Awaitility.await().until(() -> master.registrations.size() > registrations);
        Thread.sleep(200); // a heartbeat already on its way may still land
        int stopped = master.heartbeats.size();
        Thread.sleep(500);
        assertThat(master.heartbeats.size()).isEqualTo(stopped);
      }
    }
  }

  @Test
  void reportsContainerAndStoreMemoryInHeartbeatsAndOnMetrics() throws Exception {
    try (MasterStandIn master = new MasterStandIn(0)) {
      master.heartbeatInterval = Duration.ofMillis(50);
      ClusterConfig config = config(master.port(), "store: {mode: tiered, memoryBudget: 32MiB}\n");
      try (WorkerProcess w =
          WorkerProcess.start(
              config, "w1", new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
        Awaitility.await().until(() -> master.heartbeats.size() >= 2);
        var hb = master.heartbeats.get(1);
        assertThat(hb.getStoreBudgetBytes()).isEqualTo(32L << 20);
        assertThat(hb.getContainersMemoryGrantedBytes()).isZero(); // no containers here
        assertThat(hb.getContainersMemoryUsedBytes()).isZero();
        assertThat(hb.getFreeMemoryBytes()).as("the configured memory").isEqualTo(64_000_000L);
        String metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + w.httpPort() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
            .contains("sluice_containers_memory_granted_bytes 0.0")
            .contains("sluice_containers_memory_used_bytes 0.0")
            .contains("sluice_faastore_budget_bytes 3.3554432E7");
      }
    }
  }

  @Test
  void stopsWithAMessageNamingTheMasterWhenItCannotBeReached() throws Exception {
    int nobody = freePort();
    ClusterConfig config = config(nobody);
    assertThatThrownBy(
            () ->
                WorkerProcess.start(
                    config, "w1", new WorkerProcess.Options(Duration.ofMillis(600), List.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + nobody)
        .hasMessageContaining("could not register");
    // everything it opened is closed again: the same ports can be used at once
    try (MasterStandIn master = new MasterStandIn(nobody);
        WorkerProcess w =
            WorkerProcess.start(
                config, "w1", new WorkerProcess.Options(Duration.ofSeconds(10), List.of()))) {
      assertThat(master.registrations).hasSize(1);
    }
  }

  @Test
  void anUnknownWorkerIdIsRefusedWithTheKnownIds() throws Exception {
    ClusterConfig config = config(freePort());
    assertThatThrownBy(() -> WorkerProcess.start(config, "w9", WorkerProcess.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w9")
        .hasMessageContaining("w1");
  }
}

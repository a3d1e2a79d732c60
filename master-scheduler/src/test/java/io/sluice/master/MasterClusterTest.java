package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.proto.*;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The master over real Netty on loopback with three in-JVM workers. */
@IntegrationTest // the master over Netty with three in-JVM workers
class MasterClusterTest {
  static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../corpus"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private SystemScheduler scheduler;
  private Master master;
  private MasterServer server;
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;
  private final Map<String, StandInWorker> fleet = StandInWorker.fleet();
  private final List<StandInWorker> workers = new ArrayList<>();

  @BeforeEach
  void startCluster() throws Exception {
    scheduler = new SystemScheduler(2);
    master =
        new Master(
            MasterOptions.defaults().withHeartbeat(new HeartbeatConfig(Duration.ofMillis(100), 20)),
            scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    for (String id : List.of("w1", "w2", "w3")) {
      workers.add(new StandInWorker(id, server.address(), fleet));
    }
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopCluster() {
    channel.shutdownNow();
    workers.forEach(StandInWorker::close);
    server.close();
    master.close();
    scheduler.close();
  }

  private WorkflowRef register(Path file) throws Exception {
    return client
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder()
                        .setFileName(file.toString())
                        .setDefinitionText(Files.readString(file)))
                .build())
        .getWorkflow();
  }

  private InstanceStatus run(WorkflowRef ref, Mode mode, double timeScale) {
    return client.invokeAndWait(
        InvokeRequest.newBuilder()
            .setWorkflow(ref)
            .setMode(mode)
            .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(timeScale))
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"video", "genome", "illgal_recognizer"})
  void aFaasflowWorkflowGivesTheSameOutputInWorkerAndMasterMode(String name) throws Exception {
    WorkflowRef ref =
        register(CORPUS.resolve("faasflow").resolve(name).resolve("flat_workflow.yaml"));
    NodePlacement placement =
        client.getPlacement(GetPlacementRequest.newBuilder().setWorkflow(ref).build());
    InstanceStatus worker = run(ref, Mode.MODE_WORKER, 0);
    InstanceStatus masterSp = run(ref, Mode.MODE_MASTER, 0);

    assertThat(worker.getState())
        .as(worker.toString())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(masterSp.getState())
        .as(masterSp.toString())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(JSON.readTree(worker.getOutput().getJson()))
        .isEqualTo(JSON.readTree(masterSp.getOutput().getJson()));
    assertThat(worker.getNodesExecuted()).isEqualTo(masterSp.getNodesExecuted()).isPositive();
    assertThat(worker.getInvocations()).isEqualTo(masterSp.getInvocations());
    assertThat(worker.getMode()).isEqualTo(Mode.MODE_WORKER);
    assertThat(masterSp.getMode()).isEqualTo(Mode.MODE_MASTER);
    if (placement.getNodesPerWorkerCount() > 1) {
      assertThat(worker.getCrossWorkerEvents()).as(placement + "\n" + worker).isPositive();
      assertThat(worker.getWorkersUsedList()).hasSizeGreaterThan(1);
    }
    assertThat(masterSp.getCrossWorkerEvents()).isZero();
    assertThat(
            client
                .getInstance(
                    GetInstanceRequest.newBuilder().setInstanceId(worker.getInstanceId()).build())
                .getState())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"MODE_WORKER", "MODE_MASTER"})
  void functionsInAMapGetTheSameIdempotencyKeysInBothModes(Mode mode) throws Exception {
    WorkflowRef ref =
        client
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("keys.yaml")
                            .setDefinitionText(
                                """
                                sluice: "1.0"
                                name: keys
                                version: "1"
                                functions:
                                  sluice.context: {runtime: java}
                                nodes:
                                  - id: each
                                    type: map
                                    items: '[1, 2]'
                                    iterator:
                                      nodes:
                                        - {id: ctx, type: task, function: sluice.context}
                                """))
                    .build())
            .getWorkflow();
    InstanceStatus s =
        client.invokeAndWait(InvokeRequest.newBuilder().setWorkflow(ref).setMode(mode).build());
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    JsonNode out = JSON.readTree(s.getOutput().getJson());
    String id = s.getInstanceId();
    assertThat(out.get(1).get("idempotencyKey").asText()).isEqualTo(id + "/each@1[1]/ctx@1");
    assertThat(out.get(0).get("stepKey").asText()).isEqualTo(id + "/each[0]/ctx");
    assertThat(out.get(0).get("instanceId").asText()).isEqualTo(id + ".each.0");
  }

  @Test
  void genomeSpreadsOverWorkersAndSendsCrossWorkerEvents() throws Exception {
    WorkflowRef ref = register(CORPUS.resolve("faasflow/genome/flat_workflow.yaml"));
    InstanceStatus s = run(ref, Mode.MODE_WORKER, 0);
    assertThat(s.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(s.getCrossWorkerEvents()).isPositive();
    assertThat(s.getWorkersUsedCount()).isGreaterThan(1);
  }

  static final String LONG =
      """
      sluice: "1.0"
      name: long
      version: "1"
      nodes:
        - {id: quick, type: task, function: quick, next: slow, hints: {computeTime: 1ms}}
        - {id: slow, type: task, function: slow, hints: {computeTime: 60s}}
      """;

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"MODE_WORKER", "MODE_MASTER"})
  void aWorkerThatStopsHeartbeatingFailsItsInstancesNamingIt(Mode mode) {
    WorkflowRef ref =
        client
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("long.yaml")
                            .setDefinitionText(LONG))
                    .build())
            .getWorkflow();
    String id =
        client
            .invoke(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setMode(mode)
                    .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(1))
                    .build())
            .getInstanceId();
    NodePlacement p =
        client.getPlacement(GetPlacementRequest.newBuilder().setWorkflow(ref).build());
    String slowWorker =
        p.getAssignmentsList().stream()
            .filter(a -> a.getNodeId().equals("slow"))
            .findFirst()
            .orElseThrow()
            .getWorkerId();
    fleet.get(slowWorker).heartbeating = false;

    var watch =
        WorkflowServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .watchInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
    InstanceStatus last = null;
    while (watch.hasNext()) {
      last = watch.next().getStatus();
    }
    assertThat(last.getState()).as(last.toString()).isEqualTo(InstanceState.INSTANCE_STATE_FAILED);
    assertThat(last.getError().getType()).as(last.toString()).isEqualTo("WorkerLost");
    assertThat(last.getError().getType()).isEqualTo("WorkerLost");
    assertThat(last.getError().getMessage()).contains(slowWorker).contains("127.0.0.1:");
    assertThat(last.getError().getWorkerId()).isEqualTo(slowWorker);
  }

  private static void assertInvalid(Runnable call, String... fragments) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              for (String f : fragments) {
                assertThat(e.getStatus().getDescription()).contains(f);
              }
            });
  }

  @Test
  void malformedRequestsAreInvalidArgumentsAndTheServerKeepsServing() {
    var cluster =
        ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertInvalid(() -> client.invoke(InvokeRequest.getDefaultInstance()), "workflow");
    assertInvalid(
        () -> client.registerWorkflow(RegisterWorkflowRequest.getDefaultInstance()), "file_name");
    assertInvalid(
        () ->
            client.registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("bad.yaml")
                            .setDefinitionText(
                                """
            sluice: "1.0"
            name: bad
            nodes:
              - {id: a, type: task, function: f, next: nowhere}
            """))
                    .build()),
        "bad.yaml:",
        "nowhere");
    WorkflowRef ref =
        client
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("long.yaml")
                            .setDefinitionText(LONG))
                    .build())
            .getWorkflow();
    assertInvalid(
        () ->
            client.invoke(
                InvokeRequest.newBuilder().setWorkflow(ref).setInputJson("{oops").build()),
        "input_json");
    assertInvalid(
        () -> client.invoke(InvokeRequest.newBuilder().setWorkflow(ref).build()),
        "unknown function");
    assertInvalid(
        () ->
            client.invoke(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setOptions(RunOptions.newBuilder().setTimeScale(-1))
                    .build()),
        "time_scale");
    assertInvalid(() -> client.sendEvent(SendEventRequest.getDefaultInstance()), "event");
    assertInvalid(() -> client.getPlacement(GetPlacementRequest.getDefaultInstance()), "target");
    assertInvalid(() -> client.getInstance(GetInstanceRequest.getDefaultInstance()), "instance_id");
    assertInvalid(() -> cluster.register(RegisterWorkerRequest.getDefaultInstance()), "worker_id");
    assertInvalid(
        () ->
            cluster.register(
                RegisterWorkerRequest.newBuilder()
                    .setWorkerId("w9")
                    .setAddress("nowhere")
                    .setSlots(1)
                    .build()),
        "host:port");
    assertInvalid(
        () ->
            cluster.heartbeat(
                HeartbeatRequest.newBuilder().setWorkerId("w1").setFreeSlots(-1).build()),
        "w1");
    assertInvalid(
        () -> cluster.instanceFinished(InstanceFinishedRequest.getDefaultInstance()),
        "instance_id");
    assertThatThrownBy(
            () -> client.getInstance(GetInstanceRequest.newBuilder().setInstanceId("nope").build()))
        .hasMessageContaining("NOT_FOUND");

    assertThat(client.listWorkflows(ListWorkflowsRequest.getDefaultInstance()).getWorkflowsList())
        .extracting(w -> w.getWorkflow().getName())
        .containsExactly("long");
    assertThat(
            cluster
                .heartbeat(HeartbeatRequest.newBuilder().setWorkerId("w1").setFreeSlots(8).build())
                .getReregister())
        .isFalse();
  }
}

package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.proto.*;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instance views over a real master process (gRPC and HTTP on loopback) and two in-JVM workers:
 * node steps reported through ClusterService.ReportProgress by a real gRPC client (as a worker's
 * reporter does), seen in GetInstance, WatchInstance, ListInstances, GetHistory, GetLogs and the
 * JSON API.
 */
@IntegrationTest // a master process with in-JVM workers
class InstanceViewsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG =
      """
      sluice: "1.0"
      name: long
      version: "1"
      nodes:
        - {id: quick, type: task, function: quick, next: slow, hints: {computeTime: 1ms}}
        - {id: slow, type: task, function: slow, hints: {computeTime: 600s}}
      """;

  private MasterProcess master;
  private final List<StandInWorker> workers = new ArrayList<>();
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;
  private ClusterServiceGrpc.ClusterServiceBlockingStub cluster;
  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    String yaml =
        "name: views\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    master = MasterProcess.start(ClusterConfig.parse("views.yaml", yaml, Map.of()));
    var fleet = StandInWorker.fleet();
    for (String id : List.of("w1", "w2")) {
      workers.add(new StandInWorker(id, master.address(), fleet));
    }
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    cluster = ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    workers.forEach(StandInWorker::close);
    master.close();
  }

  private WorkflowRef register() {
    return client
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder().setFileName("long.yaml").setDefinitionText(LONG))
                .build())
        .getWorkflow();
  }

  private String invoke(WorkflowRef ref) {
    return client
        .invoke(
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(1))
                .build())
        .getInstanceId();
  }

  private static NodeProgress step(String id, String node, String state, long durationNanos) {
    return NodeProgress.newBuilder()
        .setInstanceId(id)
        .setNodeId(node)
        .setState(state)
        .setAttempt(1)
        .setTimeMillis(System.currentTimeMillis())
        .setDurationNanos(durationNanos)
        .build();
  }

  private void report(String worker, NodeProgress... steps) {
    cluster.reportProgress(
        ReportProgressRequest.newBuilder().setWorkerId(worker).addAllSteps(List.of(steps)).build());
  }

  private JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " answered " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void reportedStepsShowInStatusWatchHistoryListAndTheJsonApi() throws Exception {
    WorkflowRef ref = register();
    String id = invoke(ref);
    List<InstanceUpdate> updates = new CopyOnWriteArrayList<>();
    List<Throwable> ended = new CopyOnWriteArrayList<>();
    WorkflowServiceGrpc.newStub(channel)
        .watchInstance(
            GetInstanceRequest.newBuilder().setInstanceId(id).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(InstanceUpdate u) {
                updates.add(u);
              }

              @Override
              public void onError(Throwable t) {
                ended.add(t);
              }

              @Override
              public void onCompleted() {
                ended.add(new RuntimeException("completed"));
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !updates.isEmpty());
    assertThat(updates.get(0).getStatus().getNodesList())
        .extracting(NodeRun::getNodeId)
        .containsExactly("quick", "slow");

    report("w1", step(id, "quick", "started", 0), step(id, "quick", "completed", 2_000_000));
    report("w2", step(id, "slow", "started", 0));

    InstanceStatus s =
        client.getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
    assertThat(s.getState()).isEqualTo(InstanceState.INSTANCE_STATE_RUNNING);
    assertThat(s.getNodesExecuted()).isEqualTo(1);
    assertThat(s.getWorkersUsedList()).contains("w1", "w2");
    assertThat(s.getNodesList())
        .extracting(NodeRun::getState)
        .containsExactly("completed", "running");
    assertThat(s.getNodes(0).getWorkerId()).isEqualTo("w1");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(updates)
                    .filteredOn(InstanceUpdate::hasNode)
                    .extracting(u -> u.getNode().getNodeId() + " " + u.getStep().getType())
                    .contains("quick node.started", "quick node.completed", "slow node.started"));

    // a second instance, for the list's order, filters and pages
    String second = invoke(ref);
    ListInstancesResponse page1 =
        client.listInstances(
            ListInstancesRequest.newBuilder()
                .setWorkflow("long@1")
                .addStates(InstanceState.INSTANCE_STATE_RUNNING)
                .setPageSize(1)
                .build());
    assertThat(page1.getInstancesList())
        .extracting(InstanceSummary::getInstanceId)
        .containsExactly(second);
    ListInstancesResponse page2 =
        client.listInstances(
            ListInstancesRequest.newBuilder()
                .setWorkflow("long")
                .setPageSize(1)
                .setPageToken(page1.getNextPageToken())
                .build());
    assertThat(page2.getInstancesList())
        .extracting(InstanceSummary::getInstanceId)
        .containsExactly(id);
    assertThat(page2.getInstances(0).getNodesDone()).isEqualTo(1);
    assertThat(
            client
                .listInstances(
                    ListInstancesRequest.newBuilder()
                        .addStates(InstanceState.INSTANCE_STATE_FAILED)
                        .build())
                .getInstancesCount())
        .isZero();

    GetHistoryResponse h1 =
        client.getHistory(GetHistoryRequest.newBuilder().setInstanceId(id).setPageSize(2).build());
    assertThat(h1.getEventsList())
        .extracting(HistoryEvent::getType)
        .containsExactly("instance.started", "node.started");
    assertThat(h1.getMore()).isTrue();
    GetHistoryResponse h2 =
        client.getHistory(
            GetHistoryRequest.newBuilder().setInstanceId(id).setAfterSeq(h1.getLastSeq()).build());
    assertThat(h2.getEvents(0).getSeq()).isEqualTo(h1.getLastSeq() + 1);
    assertThat(h2.getEnded()).isFalse();

    // the workers do not answer GetLogs here (or hold no logs): the answer still comes, in time
    GetLogsResponse logs = client.getLogs(GetLogsRequest.newBuilder().setInstanceId(id).build());
    assertThat(logs.getUnreachableWorkersList()).isSubsetOf("w1", "w2");

    JsonNode list = get("/api/instances?workflow=long&state=running&limit=5", 200);
    assertThat(list.get("instances")).hasSize(2);
    assertThat(list.get("instances").get(0).get("id").asText()).isEqualTo(second);
    JsonNode one = get("/api/instances/" + id, 200);
    assertThat(one.get("state").asText()).isEqualTo("running");
    assertThat(one.get("nodesDone").asInt()).isEqualTo(1);
    assertThat(one.get("nodes").get(0).get("state").asText()).isEqualTo("completed");
    assertThat(one.get("nodes").get(0).get("durationMs").asLong()).isEqualTo(2);
    assertThat(one.get("error").isNull()).isTrue();
    JsonNode history = get("/api/instances/" + id + "/history?after=1&limit=2", 200);
    assertThat(history.get("events").get(0).get("seq").asLong()).isEqualTo(2);
    assertThat(history.get("more").asBoolean()).isTrue();
    assertThat(get("/api/instances/" + id + "/logs?node=quick", 200).has("unreachableWorkers"))
        .isTrue();
    JsonNode wfs = get("/api/workflows", 200);
    assertThat(wfs.get("workflows").get(0).get("running").asInt()).isEqualTo(2);
    JsonNode graph = get("/api/workflows/long/1", 200);
    assertThat(graph.get("nodes")).hasSize(2);
    assertThat(graph.get("edges").get(0).get("from").asText()).isEqualTo("quick");
    assertThat(get("/api/instances/nope", 404).get("error").asText()).contains("nope");
    assertThat(get("/api/workflows/nope/1", 404).get("error").asText()).contains("nope");
    assertThat(get("/api/instances?state=sleeping", 400).get("error").asText()).contains("state");
    assertThat(get("/api/instances?limit=0", 400).get("error").asText()).contains("limit");
    assertThat(get("/api/nothing", 404).get("error").asText()).contains("/api/instances");

    client.cancel(CancelRequest.newBuilder().setInstanceId(id).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> !ended.isEmpty());
    InstanceUpdate last = updates.get(updates.size() - 1);
    assertThat(last.getStatus().getState()).isEqualTo(InstanceState.INSTANCE_STATE_CANCELLED);
    assertThat(last.getStatus().getNodesCount()).isEqualTo(2);
    GetHistoryResponse all =
        client.getHistory(GetHistoryRequest.newBuilder().setInstanceId(id).build());
    assertThat(all.getEnded()).isTrue();
    assertThat(all.getEvents(all.getEventsCount() - 1).getType()).isEqualTo("instance.cancelled");
    client.cancel(CancelRequest.newBuilder().setInstanceId(second).build());

    workers.remove(1).close(); // w2 ran "slow": its logs cannot be had now
    assertThat(
            client
                .getLogs(GetLogsRequest.newBuilder().setInstanceId(id).build())
                .getUnreachableWorkersList())
        .contains("w2");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.getLogs(GetLogsRequest.newBuilder().setInstanceId("nope").build()))
        .hasMessageContaining("NOT_FOUND");
  }

  @Test
  void stepsOfUnknownInstancesAreIgnoredAndABlankWorkerIsRefused() {
    report("w1", step("no-such", "a", "started", 0));
    assertThat(master.master().progress().ignored()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cluster.reportProgress(ReportProgressRequest.newBuilder().build()))
        .hasMessageContaining("worker_id");
  }
}

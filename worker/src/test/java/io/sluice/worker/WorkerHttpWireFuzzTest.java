package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.PeerAddress;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import io.sluice.testing.Property;
import io.sluice.testing.RandomHttp;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire fuzzer against a worker's own HTTP endpoint: a {@link WorkerProcess} (gRPC, HTTP with
 * {@code /events} routed straight into its engine, registration with a {@link MasterStandIn}) gets
 * the same raw-socket requests as the master's endpoint ({@link RandomHttp}: malformed CloudEvents,
 * broken framing, oversized bodies and headers, unknown paths and methods, pipelined garbage) while
 * an instance waits for an event. Every answer is 2xx or a clear client error ({@link
 * RandomHttp#CLEAR}), never a 5xx or a stack trace in the body, no connection is left unanswered,
 * nothing in the log carries a stack trace or is an ERROR, and afterwards the worker is healthy and
 * an event posted to its {@code /events} completes a new instance.
 *
 * <p>{@code -Dsluice.fuzz.wire=N} sets the number of connections (default {@value #DEFAULT_CASES}),
 * {@code -Dsluice.fuzz.wire.seed=S} the base seed (printed on failure).
 */
@IntegrationTest // a worker process over Netty with a master stand-in over gRPC
class WorkerHttpWireFuzzTest {
  static final int DEFAULT_CASES = 5000;
  private static final int MAX_BODY = 64 * 1024;
  private static final int READ_TIMEOUT_MS = 20_000;
  private static final ObjectMapper M = new ObjectMapper();
  static final String APPROVALS =
      """
      sluice: "1.0"
      name: approvals
      version: "1"
      nodes:
        - id: approval
          type: event
          eventType: com.example.order.approved
          correlation: .data.orderId == $input.orderId
          timeout: PT120S
          next: done
        - {id: done, type: pass, output: '{approved: .orderId}'}
      """;

  private final HttpClient http = HttpClient.newHttpClient();
  private MasterStandIn master;
  private WorkerProcess worker;
  private ManagedChannel channel;
  private CapturedLog log;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    master = new MasterStandIn(0);
    String yaml =
        "name: workerfuzz\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + master.port()
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + "http: {maxBodySize: 64KiB, deliveryTimeout: 10s}\n"
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    log = CapturedLog.start();
    worker =
        WorkerProcess.start(
            ClusterConfig.parse("workerfuzz.yaml", yaml, Map.of()),
            "w1",
            new WorkerProcess.Options(Duration.ofSeconds(30), List.of()));
    channel = NettyChannelBuilder.forTarget(worker.node().address()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (worker != null) {
      worker.close();
    }
    master.close();
    log.close();
  }

  @Test
  void everyRequestGetsAClearAnswerAndTheWorkerKeepsServing() throws Exception {
    WorkflowGraph graph = deploy();
    // an instance waiting while the fuzzer runs: fuzzed approvals for order 1 may complete it
    startInstance(graph, "waiting-1", 1);
    Map<Integer, Integer> tally = new TreeMap<>();
    Property.named("wire-fuzz-worker-http", DEFAULT_CASES)
        .withKnobs("sluice.fuzz.wire", "sluice.fuzz.wire.seed")
        .check(
            (random, seed, index) -> {
              for (RandomHttp.Response r :
                  RandomHttp.exchange(random, worker.httpPort(), MAX_BODY, READ_TIMEOUT_MS)) {
                tally.merge(r.status(), 1, Integer::sum);
                assertThat(RandomHttp.CLEAR)
                    .as("status %d: %s", r.status(), r.body())
                    .contains(r.status());
                assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception:");
              }
            });
    System.out.println("wire-fuzz-worker-http outcomes: " + tally);
    assertStillServing(graph);
    System.out.println("wire-fuzz-worker-http log lines at WARN+: " + log.lines().size());
    assertThat(log.alarms()).as("log lines with a stack trace or at ERROR").isEmpty();
  }

  /** Deploys {@link #APPROVALS} with every node on the worker, as the master would. */
  private WorkflowGraph deploy() {
    WorkflowGraph graph = new WorkflowLoader().load("approvals.yaml", APPROVALS);
    WorkflowKey key = new WorkflowKey(graph.name(), graph.version());
    WorkerServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .deploySubgraph(
            DeploySubgraphRequest.newBuilder()
                .setWorkflow(WireMapper.workflowRef(key))
                .setSource(
                    WorkflowSource.newBuilder()
                        .setFileName("approvals.yaml")
                        .setDefinitionText(APPROVALS))
                .setPlacement(
                    NodePlacement.newBuilder()
                        .addAllAssignments(
                            WireMapper.assignments(Map.of("approval", "w1", "done", "w1"))))
                .addPeers(
                    PeerAddress.newBuilder().setWorkerId("w1").setAddress(worker.node().address()))
                .build());
    return graph;
  }

  private CompletableFuture<InstanceCompletion.Outcome> startInstance(
      WorkflowGraph graph, String id, int orderId) throws Exception {
    var input = M.readTree("{\"orderId\": " + orderId + "}");
    CompletableFuture<InstanceCompletion.Outcome> outcome =
        master.expect(id, graph, input, Set.of("w1"));
    WorkerServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .startInstance(
            StartInstanceRequest.newBuilder()
                .setInstanceId(id)
                .setWorkflow(WireMapper.workflowRef(new WorkflowKey(graph.name(), graph.version())))
                .setInput(WireMapper.payload(input))
                .build());
    return outcome;
  }

  /** The worker answers health, and an event posted to it completes an instance waiting for it. */
  private void assertStillServing(WorkflowGraph graph) throws Exception {
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(uri("/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"ok\"");
    var outcome = startInstance(graph, "after-fuzz", 7);
    String approval =
        "{\"specversion\":\"1.0\",\"id\":\"worker-ok-7\",\"type\":\"com.example.order.approved\","
            + "\"source\":\"/shop\",\"datacontenttype\":\"application/json\","
            + "\"data\":{\"orderId\":7}}";
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(uri("/events"))
                                .header("Content-Type", "application/cloudevents+json")
                                .POST(HttpRequest.BodyPublishers.ofString(approval))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 202);
    var out = outcome.get(60, TimeUnit.SECONDS);
    assertThat(out.state()).as(out.toString()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().get("approved").asInt()).isEqualTo(7);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + worker.httpPort() + path);
  }
}

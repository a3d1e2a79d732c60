package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import io.sluice.testing.Property;
import io.sluice.testing.RandomHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire fuzzer's HTTP half: raw-socket requests to every path of the master's HTTP endpoint
 * ({@code /events}, {@code /events/SHAPE}, {@code /health}, {@code /metrics}) with malformed
 * CloudEvents (structured, binary, batch), broken JSON, wrong content types, huge headers,
 * oversized and chunked bodies, bad methods and pipelined garbage. Every response is a 2xx or a
 * clear client error (400, 404, 405, 413, 414, 415, 431), never a 5xx or a stack trace, no request
 * is left without an answer, and afterwards the endpoint still delivers an event to a waiting
 * instance.
 *
 * <p>{@code -Dsluice.fuzz.wire=N} sets the number of connections (default {@value #DEFAULT_CASES}),
 * {@code -Dsluice.fuzz.wire.seed=S} the base seed (printed on failure).
 */
@IntegrationTest // a master over Netty with an in-JVM worker
class HttpWireFuzzTest {
  static final int DEFAULT_CASES = 5000;
  private static final int MAX_BODY = 64 * 1024;
  private static final int READ_TIMEOUT_MS = 20_000;
  private static final Path WORKFLOW = Path.of("src/test/resources/events/wait-approval.yaml");

  private final HttpClient http = HttpClient.newHttpClient();
  private MasterProcess master;
  private StandInWorker worker;
  private ManagedChannel channel;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    String yaml =
        "name: httpfuzz\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
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
    master = MasterProcess.start(ClusterConfig.parse("httpfuzz.yaml", yaml, Map.of()));
    worker = new StandInWorker("w1", master.address(), StandInWorker.fleet());
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    worker.close();
    master.close();
  }

  @Test
  void everyRequestGetsAClearAnswerAndTheEndpointKeepsServing() throws Exception {
    Map<Integer, Integer> tally = new TreeMap<>();
    Property.named("wire-fuzz-http", DEFAULT_CASES)
        .withKnobs("sluice.fuzz.wire", "sluice.fuzz.wire.seed")
        .check(
            (random, seed, index) -> {
              for (RandomHttp.Response r :
                  RandomHttp.exchange(random, master.httpPort(), MAX_BODY, READ_TIMEOUT_MS)) {
                tally.merge(r.status(), 1, Integer::sum);
                assertThat(RandomHttp.CLEAR)
                    .as("status %d: %s", r.status(), r.body())
                    .contains(r.status());
                assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception:");
              }
            });
    System.out.println("wire-fuzz-http outcomes: " + tally);
    assertStillServing();
  }

  /** The endpoint answers health, and an event reaches an instance waiting for it. */
  private void assertStillServing() throws Exception {
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(uri("/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    var client = WorkflowServiceGrpc.newBlockingStub(channel);
    WorkflowRef ref =
        client
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName(WORKFLOW.toString())
                            .setDefinitionText(Files.readString(WORKFLOW)))
                    .build())
            .getWorkflow();
    String id =
        client
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .invoke(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setMode(Mode.MODE_WORKER)
                    .setInputJson("{\"orderId\": 7}")
                    .build())
            .getInstanceId();
    String approval =
        "{\"specversion\":\"1.0\",\"id\":\"ok-7\",\"type\":\"com.example.order.approved\","
            + "\"source\":\"/shop\",\"subject\":\""
            + id
            + "\",\"datacontenttype\":\"application/json\",\"data\":{\"orderId\":7}}";
    await()
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
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build())
                        .getState()
                        .getNumber()
                    >= InstanceState.INSTANCE_STATE_SUCCEEDED_VALUE);
    InstanceStatus s =
        client.getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + master.httpPort() + path);
  }
}

package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.SendEventRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's {@code limits:} on a real master process: a size limit and the event rate at each
 * entry point (RegisterWorkflow, GetPlacement's source, Invoke, SendEvent, HTTP {@code /events}),
 * the node count and the instances per workflow; each refusal names its key.
 */
@IntegrationTest // a master process over Netty with in-JVM workers
class MasterLimitsTest {
  private static final Path WORKFLOW = Path.of("src/test/resources/events/wait-approval.yaml");
  private static final String LIMITS =
      "limits: {definitionSize: 2KiB, nodes: 3, inputSize: 1KiB, eventSize: 1KiB,"
          + " eventsPerSecond: 5, eventBurst: 5, instancesPerWorkflow: 1}\n";

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<StandInWorker> workers = new ArrayList<>();
  private MasterProcess master;
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void start(String limits) throws Exception {
    String yaml =
        "name: limits\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + limits
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    master = MasterProcess.start(ClusterConfig.parse("limits.yaml", yaml, Map.of()));
    workers.add(new StandInWorker("w1", master.address(), StandInWorker.fleet()));
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    workers.forEach(StandInWorker::close);
    if (master != null) {
      master.close();
    }
  }

  private WorkflowRef register(String text) {
    return client
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder().setFileName("w.yaml").setDefinitionText(text))
                .build())
        .getWorkflow();
  }

  private String invoke(WorkflowRef ref, String input) {
    return client
        .invoke(
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setMode(Mode.MODE_WORKER)
                .setInputJson(input)
                .build())
        .getInstanceId();
  }

  private static void refused(Runnable call, Status.Code code, String... parts) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(parts).doesNotContain("\n");
            });
  }

  private static SendEventRequest event(String id, int dataBytes) {
    return SendEventRequest.newBuilder()
        .setEvent(
            CloudEvent.newBuilder()
                .setId(id)
                .setSource("/test")
                .setSpecVersion("1.0")
                .setType("com.example.nobody.waits")
                .setTextData("x".repeat(dataBytes)))
        .build();
  }

  private HttpResponse<String> post(String id) throws Exception {
    return post(id, null);
  }

  private HttpResponse<String> post(String id, String token) throws Exception {
    String body =
        "{\"specversion\":\"1.0\",\"id\":\""
            + id
            + "\",\"type\":\"com.example.nobody.waits\",\"source\":\"/test\"}";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + "/events"))
            .header("Content-Type", "application/cloudevents+json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withTokensEachPrincipalHasItsOwnEventRateWhereverItSendsFrom(@TempDir Path dir)
      throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        "sub submit "
            + TokenHash.of("tok-sub")
            + "\nsub2 submit "
            + TokenHash.of("tok-sub2")
            + "\n");
    // one event per 20 s after a burst of 2: the third is refused however slow the machine
    start(
        "limits: {eventsPerSecond: 0.05, eventBurst: 2}\nsecurity: {tokens: "
            + tokens.toAbsolutePath()
            + "}\n");
    assertThat(post("p1", "tok-sub").statusCode()).isEqualTo(404); // nobody waits: routed
    assertThat(post("p2", "tok-sub").statusCode()).isEqualTo(404);
    HttpResponse<String> third = post("p3", "tok-sub");
    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    assertThat(third.body()).contains("client sub sends events faster than limits.eventsPerSecond");
    // gRPC shares the principal's bucket
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer tok-sub");
    var asSub = client.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
    refused(
        () -> asSub.sendEvent(event("g1", 1)),
        Status.Code.RESOURCE_EXHAUSTED,
        "client sub sends events faster");
    // another principal on the same host has a bucket of its own
    assertThat(post("q1", "tok-sub2").statusCode()).isEqualTo(404);
  }

  @Test
  void registerAndPlacementRefuseADefinitionOverItsSizeOrNodeCount() throws Exception {
    start(LIMITS);
    String text = Files.readString(WORKFLOW);
    String big = text + "#" + "x".repeat(2048) + "\n";
    refused(
        () -> register(big),
        Status.Code.INVALID_ARGUMENT,
        "definition text of " + big.length() + " bytes",
        "limits.definitionSize (2048 bytes)");
    refused(
        () ->
            client.getPlacement(
                io.sluice.proto.GetPlacementRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder().setFileName("w.yaml").setDefinitionText(big))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "limits.definitionSize");
    String four = text + "  - id: extra\n    type: pass\n    output: '{}'\n";
    refused(
        () -> register(four), Status.Code.INVALID_ARGUMENT, "of 4 nodes", "limits.nodes (3 nodes)");
    assertThat(register(text).getName()).isEqualTo("wait-approval"); // 3 nodes: accepted
  }

  @Test
  void invokeRefusesAnInputOverItsSizeAndASecondRunningInstance() throws Exception {
    start(LIMITS);
    WorkflowRef ref = register(Files.readString(WORKFLOW));
    String big = "{\"orderId\": 1, \"pad\": \"" + "x".repeat(1024) + "\"}";
    refused(
        () -> invoke(ref, big),
        Status.Code.INVALID_ARGUMENT,
        "input of " + big.length() + " bytes",
        "limits.inputSize (1024 bytes)");
    invoke(ref, "{\"orderId\": 1}"); // waits for its approval: stays running
    refused(
        () -> invoke(ref, "{\"orderId\": 2}"),
        Status.Code.RESOURCE_EXHAUSTED,
        "1 instances running",
        "limits.instancesPerWorkflow is 1");
  }

  @Test
  void sendEventRefusesAnEventOverItsSizeAndAClientOverItsRate() throws Exception {
    start(LIMITS);
    refused(
        () -> client.sendEvent(event("big", 2048)),
        Status.Code.INVALID_ARGUMENT,
        "limits.eventSize (1024 bytes)");
    // an event refused for its size takes no token: the burst of 5 is whole
    for (int i = 0; i < 5; i++) {
      client.sendEvent(event("e" + i, 1));
    }
    refused(
        () -> client.sendEvent(event("sixth", 1)),
        Status.Code.RESOURCE_EXHAUSTED,
        "limits.eventsPerSecond (5.0/s",
        "retry after 1 s");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(() -> client.sendEvent(event("later", 1)) != null);
  }

  @Test
  void httpEventsAreBoundedByMaxBodySizeAndAnsweredTooManyRequestsOverTheRate() throws Exception {
    start(LIMITS + "http: {maxBodySize: 1KiB}\n");
    String big = "{\"specversion\":\"1.0\",\"id\":\"b\",\"pad\":\"" + "x".repeat(2048) + "\"}";
    HttpResponse<String> tooBig =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + "/events"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = post("h" + i);
      assertThat(r.statusCode()).as(r.body()).isNotEqualTo(429);
    }
    HttpResponse<String> sixth = post("h5");
    assertThat(sixth.statusCode()).as(sixth.body()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After")).contains("1");
    assertThat(sixth.body()).contains("limits.eventsPerSecond (5.0/s");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> post("later").statusCode() != 429);
  }

  @Test
  void defaultLimitsLetOrdinaryCallsThrough() throws Exception {
    start("");
    WorkflowRef ref = register(Files.readString(WORKFLOW));
    invoke(ref, "{\"orderId\": 1}");
    invoke(ref, "{\"orderId\": 2}"); // no limit on instances by default
    for (int i = 0; i < 20; i++) {
      client.sendEvent(event("d" + i, 100));
    }
  }
}

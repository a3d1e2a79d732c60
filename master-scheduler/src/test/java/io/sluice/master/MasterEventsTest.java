package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /events} on a real master process with two in-JVM workers: events reach instances
 * waiting in either mode through {@link MasterEventSink}, asynchronously, including platform
 * payloads (one addressed, one routed by its subject to the wait keyed on it); the cluster file's
 * {@code http:} limits apply.
 */
@IntegrationTest // a master process over Netty with two in-JVM workers
class MasterEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path WORKFLOW = Path.of("src/test/resources/events/wait-approval.yaml");
  private static final String UPLOAD = "src/test/resources/events/wait-upload.yaml";

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

  @BeforeEach
  void start() throws Exception {
    String yaml =
        "name: events\n"
            + "master: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n"
            + "heartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + "http: {maxBodySize: 64KiB, deliveryTimeout: 20s}\n"
            + "workers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    master = MasterProcess.start(ClusterConfig.parse("events.yaml", yaml, Map.of()));
    var fleet = StandInWorker.fleet();
    for (String id : List.of("w1", "w2")) {
      workers.add(new StandInWorker(id, master.address(), fleet));
    }
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    workers.forEach(StandInWorker::close);
    master.close();
  }

  private String startInstance(Mode mode, int orderId) throws Exception {
    return startInstance(WORKFLOW, mode, "{\"orderId\": " + orderId + "}");
  }

  private String startInstance(Path workflow, Mode mode, String input) throws Exception {
    WorkflowRef ref =
        client
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName(workflow.toString())
                            .setDefinitionText(Files.readString(workflow)))
                    .build())
            .getWorkflow();
    return client
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .invoke(
            InvokeRequest.newBuilder().setWorkflow(ref).setMode(mode).setInputJson(input).build())
        .getInstanceId();
  }

  private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts until an instance takes it: the instance may still be starting on its workers. */
  private HttpResponse<String> postUntilAccepted(String path, String contentType, String body) {
    List<HttpResponse<String>> last = new ArrayList<>(1);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              HttpResponse<String> r = post(path, contentType, body);
              last.clear();
              last.add(r);
              return r.statusCode() != 404;
            });
    return last.get(0);
  }

  private InstanceStatus awaitEnd(String instanceId) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                        .getInstance(
                            GetInstanceRequest.newBuilder().setInstanceId(instanceId).build())
                        .getState()
                        .getNumber()
                    >= InstanceState.INSTANCE_STATE_SUCCEEDED_VALUE);
    return client.getInstance(GetInstanceRequest.newBuilder().setInstanceId(instanceId).build());
  }

  private static String approval(String eventId, String instanceId, int orderId) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + eventId
        + "\",\"type\":\"com.example.order.approved\",\"source\":\"/shop\",\"subject\":\""
        + instanceId
        + "\",\"datacontenttype\":\"application/json\",\"data\":{\"orderId\":"
        + orderId
        + "}}";
  }

  @Test
  void aStructuredEventReachesAnInstanceWaitingOnAWorker() throws Exception {
    String id = startInstance(Mode.MODE_WORKER, 7);
    HttpResponse<String> r =
        postUntilAccepted("/events", "application/cloudevents+json", approval("ok-7", id, 7));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    InstanceStatus s = awaitEnd(id);
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(s.getOutput().getJson()).doesNotContain("escalated");
  }

  @Test
  void aPubSubPushCarryingACloudEventReachesAnInstanceInMasterMode() throws Exception {
    String id = startInstance(Mode.MODE_MASTER, 9);
    String data =
        Base64.getEncoder().encodeToString("{\"orderId\":9}".getBytes(StandardCharsets.UTF_8));
    String push =
        "{\"message\":{\"attributes\":{\"ce-specversion\":\"1.0\",\"ce-id\":\"ps-9\","
            + "\"ce-type\":\"com.example.order.approved\",\"ce-source\":\"//orders\","
            + "\"ce-subject\":\""
            + id
            + "\",\"content-type\":\"application/json\"},\"data\":\""
            + data
            + "\",\"messageId\":\"1\",\"publishTime\":\"2021-02-26T19:13:55.749Z\"},"
            + "\"subscription\":\"projects/p/subscriptions/s\"}";
    HttpResponse<String> r = postUntilAccepted("/events/gcp-pubsub", "application/json", push);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(JSON.readTree(r.body()).get("shape").asText()).isEqualTo("gcp-pubsub");
    InstanceStatus s = awaitEnd(id);
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
  }

  private static String s3Put(String key, String requestId) {
    return "{\"Records\":[{\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-west-2\","
        + "\"eventTime\":\"2024-01-01T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
        + "\"responseElements\":{\"x-amz-request-id\":\""
        + requestId
        + "\"},\"s3\":{\"bucket\":{\"name\":\"uploads\"},\"object\":{\"key\":\""
        + key
        + "\",\"size\":3}}}]}";
  }

  @Test
  void anS3NotificationIsRoutedByItsSubjectToTheWaitKeyedOnIt() throws Exception {
    String a = startInstance(Path.of(UPLOAD), Mode.MODE_WORKER, "{\"key\": \"in/a.jpg\"}");
    String b = startInstance(Path.of(UPLOAD), Mode.MODE_MASTER, "{\"key\": \"in/b.jpg\"}");
    await().atMost(WAIT).until(() -> master.master().events().correlator().waitCount() == 2);

    HttpResponse<String> r = post("/events/aws-s3", "application/json", s3Put("in/b.jpg", "R1"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("result").asText()).isEqualTo("accepted");
    assertThat(body.get("shape").asText()).isEqualTo("aws-s3");
    assertThat(body.get("matched").asInt()).isEqualTo(1);
    assertThat(body.get("instances").get(0).asText()).isEqualTo(b);
    assertThat(awaitEnd(b).getOutput().getJson()).doesNotContain("missed");

    HttpResponse<String> again =
        post("/events/aws-s3", "application/json", s3Put("in/b.jpg", "R1"));
    assertThat(JSON.readTree(again.body()).get("result").asText()).isEqualTo("duplicate");
    HttpResponse<String> other =
        post("/events/aws-s3", "application/json", s3Put("in/c.jpg", "R2"));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
    assertThat(JSON.readTree(other.body()).get("result").asText()).isEqualTo("held");

    HttpResponse<String> forA = post("/events/aws-s3", "application/json", s3Put("in/a.jpg", "R3"));
    assertThat(JSON.readTree(forA.body()).get("instances").get(0).asText()).isEqualTo(a);
    InstanceStatus s = awaitEnd(a);
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(s.getOutput().getJson()).doesNotContain("missed");
  }

  @Test
  void eventsForNoInstanceAre404AndTheClusterLimitsApply() throws Exception {
    HttpResponse<String> unknown =
        post("/events", "application/cloudevents+json", approval("x", "no-such-instance", 1));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("result").asText()).isEqualTo("unmatched");
    assertThat(JSON.readTree(unknown.body()).get("error").asText())
        .contains("no instance accepts event x")
        .contains("subject no-such-instance");

    HttpResponse<String> ended =
        post(
            "/events",
            "application/cloudevents+json",
            approval("z", "no-such-instance", 1)
                .replace("\"subject\"", "\"sluiceinstance\":\"gone-1\",\"subject\""));
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(404);
    assertThat(JSON.readTree(ended.body()).get("error").asText())
        .contains("no instance gone-1 on this master");

    HttpResponse<String> noSubject =
        post(
            "/events",
            "application/cloudevents+json",
            "{\"specversion\":\"1.0\",\"id\":\"y\",\"type\":\"t\",\"source\":\"/s\"}");
    assertThat(noSubject.statusCode()).as("no running instance takes it").isEqualTo(404);

    String big = "[" + approval("big", "i", 1).replace("/shop", "/" + "s".repeat(70_000)) + "]";
    HttpResponse<String> tooLarge = post("/events", "application/cloudevents-batch+json", big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    JsonNode error = JSON.readTree(tooLarge.body());
    assertThat(error.get("error").asText()).contains("limit of 65536 bytes");
  }
}

package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.master.audit.AuditLog;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RedriveRequest;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RetireWorkflowRequest;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The master's audit log: one {@code sluice.audit} line per call that changes what the cluster
 * runs, gRPC and HTTP, with who (principal, remote address), what, when and the outcome, both as
 * the text line and as the event's fields (what the JSON layout writes); reads are not audited.
 */
@IntegrationTest // a master process over Netty with an in-JVM worker
class MasterAuditTest {
  private static final Path WORKFLOW = Path.of("src/test/resources/events/wait-approval.yaml");
  private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);

  /** Keeps each line with its fields as logged (as an asynchronous appender would). */
  private final ListAppender<ILoggingEvent> lines =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
          e.prepareForDeferredProcessing();
          super.append(e);
        }
      };

  private MasterProcess master;
  private StandInWorker worker;
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    lines.start();
    audit.addAppender(lines);
    String yaml =
        "name: audit\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nheartbeat: {interval: 100ms, missedAllowed: 20}\nworkers:\n"
            + "  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    master = MasterProcess.start(ClusterConfig.parse("audit.yaml", yaml, Map.of()));
    worker = new StandInWorker("w1", master.address(), StandInWorker.fleet());
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    audit.detachAppender(lines);
    channel.shutdownNow();
    worker.close();
    master.close();
  }

  private List<ILoggingEvent> awaitLines(int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> lines.list.size() >= n);
    assertThat(lines.list).hasSize(n);
    return List.copyOf(lines.list);
  }

  @Test
  void everyChangingCallWritesOneLineWithWhoWhatWhenAndOutcome() throws Exception {
    Instant before = Instant.now();
    WorkflowRef ref =
        client
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("w.yaml")
                            .setDefinitionText(Files.readString(WORKFLOW)))
                    .build())
            .getWorkflow();
    String id =
        client
            .invoke(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setMode(Mode.MODE_WORKER)
                    .setInputJson("{\"orderId\": 1}")
                    .build())
            .getInstanceId();
    client.sendEvent(
        SendEventRequest.newBuilder()
            .setEvent(
                CloudEvent.newBuilder()
                    .setId("ev-1")
                    .setSource("/t")
                    .setSpecVersion("1.0")
                    .setType("com.example.other"))
            .build());
    client.listWorkflows(io.sluice.proto.ListWorkflowsRequest.getDefaultInstance()); // a read
    client.cancel(CancelRequest.newBuilder().setInstanceId(id).setReason("test").build());
    client.retireWorkflow(RetireWorkflowRequest.newBuilder().setWorkflow(ref).build());
    StatusRuntimeException redrive =
        (StatusRuntimeException)
            catchThrowable(
                () -> client.redrive(RedriveRequest.newBuilder().setInstanceId("no-such").build()));
    client.drainWorker(DrainWorkerRequest.newBuilder().setWorkerId("w1").build());
    HttpResponse<String> posted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + master.httpPort() + "/events"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"specversion\":\"1.0\",\"id\":\"ev-2\",\"type\":\"com.example.h\","
                                + "\"source\":\"/t\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(404); // nobody waits for it: audited all the same

    List<ILoggingEvent> got = awaitLines(8);
    assertThat(got)
        .extracting(e -> e.getMDCPropertyMap().get("audit"))
        .containsExactly(
            "RegisterWorkflow",
            "Invoke",
            "SendEvent",
            "Cancel",
            "RetireWorkflow",
            "Redrive",
            "DrainWorker",
            "HTTP /events");
    for (ILoggingEvent e : got) {
      Map<String, String> f = e.getMDCPropertyMap();
      assertThat(f.get("principal")).isEqualTo("anonymous");
      assertThat(f.get("remote")).startsWith("127.0.0.1:");
      assertThat(Instant.parse(f.get("time"))).isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(e.getFormattedMessage())
          .startsWith("audit=")
          .contains("principal=anonymous", "remote=127.0.0.1:", "outcome=")
          .doesNotContain("\n");
    }
    assertThat(got.get(0).getMDCPropertyMap())
        .containsEntry("workflow", "wait-approval@1")
        .containsEntry("outcome", "ok");
    assertThat(got.get(1).getMDCPropertyMap())
        .containsEntry("workflow", "wait-approval@1")
        .containsEntry("instance", id);
    assertThat(got.get(2).getMDCPropertyMap())
        .containsEntry("eventType", "com.example.other")
        .containsEntry("eventId", "ev-1");
    assertThat(got.get(3).getMDCPropertyMap()).containsEntry("instance", id);
    assertThat(got.get(5).getMDCPropertyMap())
        .containsEntry("instance", "no-such")
        .containsEntry("outcome", redrive.getStatus().getCode().name());
    assertThat(got.get(6).getMDCPropertyMap()).containsEntry("worker", "w1");
    assertThat(got.get(7).getMDCPropertyMap())
        .containsEntry("eventId", "ev-2")
        .containsEntry("outcome", "unmatched");
  }
}

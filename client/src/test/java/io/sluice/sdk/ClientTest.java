package io.sluice.sdk;

import static io.sluice.dsl.Steps.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.sluice.client.LocalCluster;
import io.sluice.dsl.Workflow;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library against a real master and three workers in this JVM (the RPCs that exist before issue
 * 12's server side; the new views are in {@link ClientViewsTest}).
 */
@IntegrationTest // a master and three workers in this JVM over gRPC
class ClientTest {
  static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).normalize();
  static LocalCluster cluster;
  static SluiceClient sluice;

  @BeforeAll
  static void start() {
    cluster = new LocalCluster(3);
    sluice =
        SluiceClient.builder().target(cluster.address()).deadline(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    sluice.close();
    cluster.close();
  }

  @Test
  void registerAFileStartAwaitAndStatus() throws Exception {
    Registration r = sluice.register(ROOT.resolve("examples/hello.yaml"));
    assertThat(r.workflow()).isEqualTo(WorkflowId.of("hello", "1"));
    assertThat(r.placement()).containsOnlyKeys("greet", "shout", "done");

    String id = sluice.start(r.workflow(), Map.of("name", "Ada"));
    InstanceStatus end = sluice.await(id).get(60, TimeUnit.SECONDS);
    assertThat(end.state()).as("%s", end.error()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(end.instanceId()).isEqualTo(id);
    assertThat(end.output().has("greeting")).as(end.output().toString()).isTrue();

    InstanceStatus status = sluice.status(id);
    assertThat(status.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(status.workflow()).isEqualTo(r.workflow());
    assertThat(status.finished()).isAfterOrEqualTo(status.started());

    // Without a version: the latest registered one.
    String latest = sluice.start("hello", null);
    assertThat(sluice.await(latest).get(60, TimeUnit.SECONDS).workflow().version()).isEqualTo("1");
    assertThat(sluice.listWorkflows())
        .extracting(WorkflowInfo::workflow)
        .contains(WorkflowId.of("hello", "1"));
  }

  @Test
  void aStartWithTheSameInstanceIdIsTheSameInstance() throws Exception {
    WorkflowId hello = sluice.register(ROOT.resolve("examples/hello.yaml")).workflow();
    var once = StartOptions.defaults().instanceId("client-test-once");
    assertThat(sluice.start(hello, null, once)).isEqualTo("client-test-once");
    assertThat(sluice.start(hello, null, once)).isEqualTo("client-test-once");
    assertThat(sluice.await("client-test-once").get(60, TimeUnit.SECONDS).succeeded()).isTrue();
  }

  @Test
  void aGraphBuiltWithTheDslIsRegisteredAndRuns() throws Exception {
    var graph =
        Workflow.named("client-dsl")
            .version("2")
            .function("f", "synthetic", Map.of("computeMs", 1))
            .steps(task("a", "f"), task("b", "f").output("{done: true}"))
            .build();
    Registration r = sluice.register(graph);
    assertThat(r.workflow()).isEqualTo(WorkflowId.of("client-dsl", "2"));
    InstanceStatus end =
        sluice
            .run(r.workflow(), null, StartOptions.defaults().mode(Mode.MASTER))
            .get(60, TimeUnit.SECONDS);
    assertThat(end.state()).as("%s", end.error()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(end.mode()).isEqualTo(Mode.MASTER);
    assertThat(end.output().toString()).contains("\"done\":true");
  }

  @Test
  void anEventReachesTheWaitingInstanceAndCancelEndsAnother() throws Exception {
    WorkflowId wf = sluice.register(ROOT.resolve("examples/wait-event.yaml")).workflow();
    String approved = sluice.start(wf, Map.of("orderId", 7));
    EventDelivery d =
        sluice.sendEvent(
            Event.of("com.example.order.approved", "/shop").data(Map.of("orderId", 7)));
    assertThat(d.outcome()).isIn("matched", "held");
    InstanceStatus end = sluice.await(approved).get(60, TimeUnit.SECONDS);
    assertThat(end.state()).as("%s", end.error()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(end.output().toString()).doesNotContain("escalated");

    String cancelled = sluice.start(wf, Map.of("orderId", 8));
    var pending = sluice.await(cancelled);
    assertThat(sluice.cancel(cancelled, "not needed")).isEqualTo(InstanceState.CANCELLED);
    assertThat(pending.get(60, TimeUnit.SECONDS).state()).isEqualTo(InstanceState.CANCELLED);
  }

  @Test
  void failuresAreTheirExceptionsWithTheMastersReason() {
    assertThatThrownBy(() -> sluice.status("no-such-instance"))
        .isInstanceOf(InstanceNotFoundException.class)
        .hasMessageContaining("no instance no-such-instance");
    assertThatThrownBy(() -> sluice.await("no-such-instance").join())
        .hasCauseInstanceOf(InstanceNotFoundException.class);
    assertThatThrownBy(() -> sluice.start("no-such-workflow@1", null))
        .isInstanceOf(WorkflowNotFoundException.class)
        .hasMessageContaining("no-such-workflow");
    assertThatThrownBy(() -> sluice.start("no-such-workflow", null))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(
            () -> sluice.register("sluice: \"1.0\"\nname: broken\nnodes: []\n", "broken.yaml"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("broken.yaml");
  }

  @Test
  void masterAndWorkersAnswerTheHealthCheckAndReflection() throws Exception {
    List<String> addresses = new java.util.ArrayList<>(List.of(cluster.address()));
    addresses.addAll(cluster.workerAddresses());
    assertThat(addresses).hasSize(4);
    for (String address : addresses) {
      var channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
      try {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .as(address)
            .isEqualTo(ServingStatus.SERVING);
        List<String> services = reflectedServices(channel);
        assertThat(services).as(address).contains("grpc.health.v1.Health");
        if (address.equals(cluster.address())) {
          assertThat(services).contains("sluice.v1.WorkflowService", "sluice.v1.ClusterService");
          assertThat(
                  health
                      .check(
                          HealthCheckRequest.newBuilder()
                              .setService("sluice.v1.WorkflowService")
                              .build())
                      .getStatus())
              .isEqualTo(ServingStatus.SERVING);
        } else {
          assertThat(services).contains("sluice.v1.WorkerService", "sluice.v1.PeerService");
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The services a server lists through reflection (what {@code grpcurl list} prints). */
  private static List<String> reflectedServices(io.grpc.Channel channel) throws Exception {
    var answer = new java.util.concurrent.CompletableFuture<List<String>>();
    var out =
        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                    answer.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(io.grpc.reflection.v1.ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    out.onNext(
        io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    out.onCompleted();
    return answer.get(10, TimeUnit.SECONDS);
  }
}

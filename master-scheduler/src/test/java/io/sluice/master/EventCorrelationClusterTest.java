package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.Mode;
import io.sluice.proto.SendEventResponse;
import io.sluice.proto.WorkflowRef;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events that name no instance, routed by a real master to the instances waiting for them on real
 * workers: by subject key (in both modes), by jq over the data, held for a wait that starts later,
 * and reported (never dropped) when nothing takes them.
 */
@IntegrationTest // a master process and three workers over gRPC on loopback
class EventCorrelationClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String BY_SUBJECT =
      """
      sluice: "1.0"
      name: paid
      nodes:
        - {id: prep, type: pass, next: paid}
        - {id: paid, type: event, eventType: order.paid, correlate: {subject: .order}, next: done}
        - {id: done, type: pass, output: '{paid: .amount}'}
      """;

  private EventCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new EventCluster(3, "events: {holdFor: 30s, maxHeldPerType: 10}");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static CloudEvent paid(String id, String subject, int amount) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("/shop"))
        .withType("order.paid")
        .withSubject(subject)
        .withData(
            "application/json", ("{\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"MODE_WORKER", "MODE_MASTER"})
  void anEventWithASubjectReachesOnlyTheInstanceKeyedOnIt(Mode mode) throws Exception {
    WorkflowRef ref = cluster.register(BY_SUBJECT);
    String a = cluster.invoke(ref, "{\"order\":\"A-1\"}", mode);
    String b = cluster.invoke(ref, "{\"order\":\"B-2\"}", mode);
    cluster.awaitWaits(2);

    SendEventResponse r = cluster.send(paid("p-1", "B-2", 7));

    assertThat(r.getDeliveredToList()).containsExactly(b);
    assertThat(r.getOutcome()).isEqualTo("matched");
    InstanceStatus done = cluster.awaitEnd(b);
    assertThat(done.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(JSON.readTree(done.getOutput().getJson()).get("paid").asInt()).isEqualTo(7);
    assertThat(cluster.status(a).getState()).isEqualTo(InstanceState.INSTANCE_STATE_RUNNING);
    cluster.awaitWaits(1);

    SendEventResponse again = cluster.send(paid("p-1", "B-2", 7));
    assertThat(again.getDuplicate()).isTrue();
    assertThat(again.getDeliveredToList()).containsExactly(b);
  }

  @Test
  void anUnmatchedEventIsReportedAndCountedAndAnEarlyOneIsHeldForItsWait() throws Exception {
    WorkflowRef ref = cluster.register(BY_SUBJECT);

    SendEventResponse stranger =
        cluster.send(CloudEventBuilder.v1(paid("s-1", "X", 1)).withType("nobody.listens").build());
    assertThat(stranger.getDeliveredToList()).isEmpty();
    assertThat(stranger.getOutcome()).isEqualTo("unmatched");
    assertThat(stranger.getDetail()).contains("no deployed workflow waits for events of type");

    SendEventResponse early = cluster.send(paid("e-1", "C-3", 5));
    assertThat(early.getOutcome()).isEqualTo("held");
    assertThat(early.getHeld()).isTrue();
    String c = cluster.invoke(ref, "{\"order\":\"C-3\"}", Mode.MODE_WORKER);
    InstanceStatus done = cluster.awaitEnd(c);
    assertThat(done.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(JSON.readTree(done.getOutput().getJson()).get("paid").asInt()).isEqualTo(5);

    String metrics = cluster.metrics();
    assertThat(metrics).contains("sluice_events_routed_total{outcome=\"unmatched\"} 1.0");
    assertThat(metrics).contains("sluice_events_routed_total{outcome=\"held\"} 1.0");
    assertThat(metrics).contains("sluice_events_held 0.0");

    HttpResponse<String> viaHttp =
        cluster.post(
            "{\"specversion\":\"1.0\",\"id\":\"h-1\",\"type\":\"nobody.listens\","
                + "\"source\":\"/shop\",\"subject\":\"Q\"}");
    assertThat(viaHttp.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(viaHttp.body()).get("matched").asInt()).isZero();
    assertThat(JSON.readTree(viaHttp.body()).get("result").asText()).isEqualTo("unmatched");
  }

  @Test
  void aJqCorrelationOverTheDataIsDecidedByTheWorkersThatHoldSuchWaits() throws Exception {
    WorkflowRef ref =
        cluster.register(
            """
            sluice: "1.0"
            name: jq
            nodes:
              - {id: prep, type: pass, next: paid}
              - {id: paid, type: event, eventType: order.paid, correlation: .data.amount == $input.amount}
            """);
    String one = cluster.invoke(ref, "{\"amount\":1}", Mode.MODE_WORKER);
    String two = cluster.invoke(ref, "{\"amount\":2}", Mode.MODE_WORKER);
    cluster.awaitWaits(2);
    SendEventResponse r = cluster.send(paid("j-1", null, 2));
    assertThat(r.getDeliveredToList()).containsExactly(two);
    assertThat(cluster.awaitEnd(two).getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(cluster.status(one).getState()).isEqualTo(InstanceState.INSTANCE_STATE_RUNNING);
  }

  @Test
  void anEventThatNamesItsInstanceKeepsTheOldRoute() throws Exception {
    WorkflowRef ref = cluster.register(BY_SUBJECT);
    String a = cluster.invoke(ref, "{\"order\":\"A-1\"}", Mode.MODE_WORKER);
    cluster.awaitWaits(1);
    SendEventResponse r =
        cluster.send(
            CloudEventBuilder.v1(paid("n-1", null, 3)).withExtension("sluiceinstance", a).build());
    assertThat(r.getDeliveredToList()).containsExactly(a);
    assertThat(cluster.awaitEnd(a).getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
  }

  @Test
  void anEmitTaskOnAWorkerIsRoutedByTheMasterToTheInstanceWaitingForIt() throws Exception {
    WorkflowRef listener = cluster.register(BY_SUBJECT);
    String waiting = cluster.invoke(listener, "{\"order\":\"E-1\"}", Mode.MODE_WORKER);
    cluster.awaitWaits(1);
    WorkflowRef emitter =
        cluster.register(
            """
            document: {dsl: '1.0.0', namespace: test, name: pay, version: '1.0.0'}
            do:
              - pay:
                  emit:
                    event:
                      with: {type: order.paid, source: /shop, subject: '${ .order }', data: {amount: 9}}
            """);
    String emitting = cluster.invoke(emitter, "{\"order\":\"E-1\"}", Mode.MODE_WORKER);

    assertThat(cluster.awaitEnd(emitting).getState())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    InstanceStatus done = cluster.awaitEnd(waiting);
    assertThat(done.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(JSON.readTree(done.getOutput().getJson()).get("paid").asInt()).isEqualTo(9);
  }
}

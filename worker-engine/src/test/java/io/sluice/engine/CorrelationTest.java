package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.InstanceState;
import io.sluice.engine.events.EventHolding;
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.internal.EmbeddedEngine;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events that name no instance, routed by the embedded engine to the waits they correlate with: by
 * subject, by an extension, by jq over the data; held for a wait that starts later, for a while;
 * counted and reported when nothing takes them; routed once whatever the number of deliveries.
 */
class CorrelationTest {
  private static final ObjectMapper M = new ObjectMapper();
  private SystemScheduler system;
  private EmbeddedEngine engine;

  private EmbeddedEngine engine(Scheduler s, EventHolding holding) {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(s));
    engine = new EmbeddedEngine(EngineOptions.of(rt).withThreads(2), holding, null);
    return engine;
  }

  private EmbeddedEngine engine() {
    system = new SystemScheduler(1);
    return engine(system, EventHolding.DEFAULT);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (system != null) {
      system.close();
    }
  }

  private static DeployedWorkflow deploy(WorkflowEngine e, String nodes) {
    String text =
        "sluice: \"1.0\"\nname: corr\nnodes:\n"
            + "  - {id: start, type: pass, next: paid}\n"
            + "  - {id: paid, type: event, eventType: order.paid, "
            + nodes
            + "}\n";
    return e.deploy(new WorkflowLoader().load("corr.yaml", text));
  }

  private static JsonNode json(String s) {
    try {
      return M.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static CloudEventBuilder event(String id, String type, String data) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("test://shop"))
        .withType(type)
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8));
  }

  /** Routes until the instance's wait has started (it starts on the engine's threads). */
  private static EventOutcome routeWhenWaiting(EmbeddedEngine e, CloudEvent ev) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() >= 1);
    return e.route(ev);
  }

  @Test
  void aSubjectKeyedEventReachesOnlyTheInstanceWhoseKeyItCarries() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlate: {subject: .order}");
    String a = e.start(wf, json("{\"order\":\"A-1\"}"));
    String b = e.start(wf, json("{\"order\":\"B-2\"}"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() == 2);

    EventOutcome out =
        e.route(event("e1", "order.paid", "{\"paid\":\"b\"}").withSubject("B-2").build());

    assertThat(out.instances()).containsExactly(b);
    assertThat(e.completion(b).get(10, TimeUnit.SECONDS).output())
        .isEqualTo(json("{\"paid\":\"b\"}"));
    assertThat(e.status(a).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(e.correlator().waitCount()).isEqualTo(1); // b's wait left the index

    EventOutcome toA =
        e.route(event("e2", "order.paid", "{\"paid\":\"a\"}").withSubject("A-1").build());
    assertThat(toA.instances()).containsExactly(a);
    assertThat(e.completion(a).get(10, TimeUnit.SECONDS).output().get("paid").asText())
        .isEqualTo("a");
    assertThat(e.correlator().waitCount()).isZero();
  }

  @Test
  void anExtensionKeyedWaitMatchesTheExtensionNotTheSubject() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlate: {extension: orderid, equals: .id}");
    String id = e.start(wf, json("{\"id\":42}"));
    CloudEvent wrong =
        event("x1", "order.paid", "{}").withSubject("42").withExtension("orderid", "41").build();
    EventOutcome missed = routeWhenWaiting(e, wrong);
    assertThat(missed.instances()).isEmpty();
    assertThat(missed.held()).isTrue(); // its wait may start later: held, not lost

    CloudEvent right =
        event("x2", "order.paid", "{\"ok\":1}").withExtension("orderid", "42").build();
    assertThat(e.route(right).instances()).containsExactly(id);
    assertThat(e.completion(id).get(10, TimeUnit.SECONDS).output().get("ok").asInt()).isEqualTo(1);
  }

  @Test
  void aJqCorrelationOverTheDataSelectsAmongUnkeyedWaits() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlation: .data.order == $input.order");
    String a = e.start(wf, json("{\"order\":1}"));
    String b = e.start(wf, json("{\"order\":2}"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() == 2);
    EventOutcome out = e.route(event("j1", "order.paid", "{\"order\":2}").build());
    assertThat(out.instances()).containsExactly(b);
    assertThat(e.completion(b).get(10, TimeUnit.SECONDS).state())
        .isEqualTo(InstanceState.COMPLETED);
    assertThat(e.status(a).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void anUnmatchedEventIsCountedAndReportedNotLost() {
    EmbeddedEngine e = engine();
    deploy(e, "correlate: {subject: .order}");
    EventOutcome other = e.route(event("u1", "nobody.waits", "{}").withSubject("A").build());
    assertThat(other.accepted()).isFalse();
    assertThat(other.kind()).isEqualTo("unmatched");
    assertThat(other.detail())
        .contains("no deployed workflow waits for events of type nobody.waits");
    assertThat(e.deliver(event("u2", "nobody.waits", "{}").build())).isFalse();

    EventOutcome early = e.route(event("u3", "order.paid", "{}").withSubject("A").build());
    assertThat(early.kind()).isEqualTo("held");
    assertThat(e.correlator().heldCount()).isEqualTo(1);
  }

  @Test
  void aHeldEventIsTakenByTheWaitThatStartsLaterAndExpiresOtherwise() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    EmbeddedEngine e = engine(clock, new EventHolding(2, Duration.ofSeconds(30), 100));
    DeployedWorkflow wf = deploy(e, "correlate: {subject: .order}");

    assertThat(e.route(event("h1", "order.paid", "{\"v\":1}").withSubject("K").build()).held())
        .isTrue();
    assertThat(e.route(event("h2", "order.paid", "{\"v\":2}").withSubject("L").build()).held())
        .isTrue();
    EventOutcome full = e.route(event("h3", "order.paid", "{}").withSubject("M").build());
    assertThat(full.kind()).isEqualTo("unmatched");
    assertThat(full.detail()).contains("2 events of type order.paid are held already");
    assertThat(e.correlator().overflowCount()).isEqualTo(1);

    String id = e.start(wf, json("{\"order\":\"K\"}"));
    assertThat(e.completion(id).get(10, TimeUnit.SECONDS).output().get("v").asInt()).isEqualTo(1);
    assertThat(e.correlator().heldCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    assertThat(e.correlator().heldCount()).isZero();
    assertThat(e.correlator().expiredCount()).isEqualTo(1);
    String late = e.start(wf, json("{\"order\":\"L\"}"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() == 1);
    assertThat(e.status(late).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aRedeliveredEventIsReportedAsADuplicateAndFiresNothingTwice() throws Exception {
    EmbeddedEngine e = engine();
    String text =
        "sluice: \"1.0\"\nname: twice\nnodes:\n"
            + "  - {id: first, type: event, eventType: tick, correlate: {subject: $workflow.k}, next: second}\n"
            + "  - {id: second, type: event, eventType: tick, correlate: {subject: $workflow.k}}\n";
    DeployedWorkflow wf = e.deploy(new WorkflowLoader().load("twice.yaml", text));
    String id = e.start(wf, json("{\"k\":\"z\"}"));
    CloudEvent tick = event("t1", "tick", "{\"n\":1}").withSubject("z").build();
    EventOutcome first = routeWhenWaiting(e, tick);
    assertThat(first.instances()).containsExactly(id);
    // The second wait starts after the first took t1; t1 again must not complete it.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> e.history(id).stream().filter(h -> "t1".equals(h.getId())).count() == 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() == 1);
    EventOutcome again = e.route(tick);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.instances()).containsExactly(id);
    assertThat(e.correlator().heldCount()).isZero();
    assertThat(e.status(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);

    assertThat(e.route(event("t2", "tick", "{\"n\":2}").withSubject("z").build()).instances())
        .containsExactly(id);
    assertThat(e.completion(id).get(10, TimeUnit.SECONDS).output().get("n").asInt()).isEqualTo(2);
  }

  @Test
  void anEventAddressedToTheInstanceSkipsTheKeyAndKeepsTheOldRules() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlate: {subject: .order}");
    String id = e.start(wf, json("{\"order\":\"A\"}"));
    CloudEvent addressed =
        event("d1", "order.paid", "{\"d\":1}").withExtension("sluiceinstance", id).build();
    EventOutcome out = e.route(addressed);
    assertThat(out.instances()).containsExactly(id);
    assertThat(e.completion(id).get(10, TimeUnit.SECONDS).output().get("d").asInt()).isEqualTo(1);
    assertThat(e.route(addressed).kind()).isEqualTo("unmatched"); // the instance ended
  }

  @Test
  void aKeyThatIsNotTextFailsTheWaitWithExpressionFailed() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlate: {subject: .missing}");
    String id = e.start(wf, json("{}"));
    var s = e.completion(id).get(10, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("ExpressionFailed");
    assertThat(s.error().message()).contains("correlate subject '.missing' must give a string");
  }

  @Test
  void waitsOfEndedInstancesLeaveTheIndex() throws Exception {
    EmbeddedEngine e = engine();
    DeployedWorkflow wf = deploy(e, "correlate: {subject: .order}, timeout: 50ms");
    List<String> ids =
        List.of(e.start(wf, json("{\"order\":\"1\"}")), e.start(wf, json("{\"order\":\"2\"}")));
    for (String id : ids) {
      assertThat(e.completion(id).get(10, TimeUnit.SECONDS).error().type()).isEqualTo("Timeout");
    }
    String c = e.start(wf, json("{\"order\":\"3\"}"));
    e.cancel(c);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> e.correlator().waitCount() == 0);
  }
}

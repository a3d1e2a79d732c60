package io.sluice.engine.sw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serverless Workflow events on the embedded engine: {@code emit} hands its CloudEvent to the
 * engine's event routing, so a {@code listen} in another instance (or the same one) takes it.
 */
class SwEventsTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Set<String> WAITING = ConcurrentHashMap.newKeySet();
  private static SystemScheduler scheduler;
  private static FunctionRuntimes runtimes;
  private static WorkflowEngine engine;

  @BeforeAll
  static void start() {
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    engine =
        WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2), SwEventsTest::heard);
  }

  private static void heard(EventWaitChange c) {
    // wait ids start with the instance id and a slash
    if (c.active()) {
      WAITING.add(c.waitId());
    } else {
      WAITING.remove(c.waitId());
    }
  }

  @AfterAll
  static void stop() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  static final String HEAD =
      "document: {dsl: '1.0.0', namespace: test, name: t, version: '1.0.0'}\n";

  private static String start(String body, String input) throws Exception {
    return engine.start(
        engine.deploy(new WorkflowLoader().load("t.yaml", HEAD + body)), M.readTree(input));
  }

  private static JsonNode done(String id) throws Exception {
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s.output();
  }

  private static void awaitWaiting(String id) {
    awaitWaiting(id, 1);
  }

  /** Until the instance has {@code n} event waits started (and not ended). */
  private static void awaitWaiting(String id, int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> WAITING.stream().filter(w -> w.startsWith(id + "/")).count() == n);
  }

  static final String LISTENER =
      """
      do:
        - paid:
            listen:
              to:
                one:
                  with: {type: order.paid, source: 'test://shop', subject: '${ .order }'}
        - done: {set: {paid: '${ .[0].amount }'}}
      """;

  @Test
  void emitDeliversItsEventToAListenerInAnotherInstance() throws Exception {
    String listener = start(LISTENER.replace("'${ .order }'", "A-1"), "{}");
    awaitWaiting(listener);
    String emitter =
        start(
            """
            do:
              - pay:
                  emit:
                    event:
                      with:
                        type: order.paid
                        source: 'test://shop'
                        subject: '${ .order }'
                        data: {amount: '${ .total }'}
            """,
            "{\"order\": \"A-1\", \"total\": 12}");
    JsonNode emitted = done(emitter);
    assertThat(emitted.get("type").asText()).isEqualTo("order.paid");
    assertThat(emitted.get("data")).isEqualTo(M.readTree("{\"amount\": 12}"));
    assertThat(done(listener)).isEqualTo(M.readTree("{\"paid\": 12}"));
  }

  @Test
  void anEventNobodyWaitsForIsNotAnErrorAndAFilterThatDiffersIsNotTaken() throws Exception {
    String listener = start(LISTENER.replace("'${ .order }'", "B-1"), "{}");
    awaitWaiting(listener);
    String other =
        start(
            """
            do:
              - pay:
                  emit:
                    event: {with: {type: order.paid, source: 'test://shop', subject: B-2, data: {amount: 1}}}
            """,
            "{}");
    done(other);
    engine.deliver(
        io.cloudevents.core.builder.CloudEventBuilder.v1()
            .withId("right")
            .withSource(java.net.URI.create("test://shop"))
            .withType("order.paid")
            .withSubject("B-1")
            .withData(
                "application/json",
                "{\"amount\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .build());
    assertThat(done(listener)).isEqualTo(M.readTree("{\"paid\": 2}")); // not B-2's amount 1
  }

  @Test
  void emitReachesAListenInTheSameInstance() throws Exception {
    String id =
        start(
            """
            do:
              - both:
                  fork:
                    branches:
                      - hear:
                          listen:
                            to:
                              one:
                                with: {type: self.ping, source: 'test://self'}
                      - say:
                          do:
                            - later: {wait: PT0.05S}
                            - ping:
                                emit:
                                  event: {with: {type: self.ping, source: 'test://self', data: {n: 7}}}
            """,
            "{}");
    JsonNode out = done(id);
    assertThat(out.get(0)).isEqualTo(M.readTree("[{\"n\": 7}]"));
  }

  @Test
  void anEmitWhoseEventIsNotACloudEventFailsNamingTheTask() throws Exception {
    String id =
        start(
            """
            do:
              - bad:
                  emit:
                    event: {with: {type: x, source: 'test://s', 'Bad-Name': 1}}
            """,
            "{}");
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().message()).contains("emit bad").contains("Bad-Name");
  }

  private static void send(String type, String subject, String data) {
    engine.deliver(
        io.cloudevents.core.builder.CloudEventBuilder.v1()
            .withId(type + "/" + subject)
            .withSource(java.net.URI.create("test://s"))
            .withType(type)
            .withSubject(subject)
            .withData("application/json", data.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .build());
  }

  @Test
  void listenAnyTakesTheFirstEventMatchingOneOfItsFilters() throws Exception {
    String id =
        start(
            """
            do:
              - either:
                  listen:
                    to:
                      any:
                        - with: {type: vitals, subject: temp}
                        - with: {type: vitals, subject: bpm}
            """,
            "{}");
    awaitWaiting(id);
    send("vitals", "other", "{\"v\": 0}");
    send("vitals", "bpm", "{\"v\": 120}");
    assertThat(done(id)).isEqualTo(M.readTree("[{\"v\": 120}]"));
  }

  @Test
  void listenAllWaitsForAnEventOfEachFilterAndOutputsThemInFilterOrder() throws Exception {
    String id =
        start(
            """
            do:
              - both:
                  listen:
                    to:
                      all:
                        - with: {type: order.paid}
                        - with: {type: order.packed, subject: A-1}
                  output: {as: '${ {paid: .[0].amount, box: .[1].box} }'}
            """,
            "{}");
    awaitWaiting(id, 2);
    send("order.packed", "B-9", "{\"box\": 0}");
    send("order.packed", "A-1", "{\"box\": 3}");
    assertThat(engine.status(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    send("order.paid", "A-1", "{\"amount\": 5}");
    assertThat(done(id)).isEqualTo(M.readTree("{\"paid\": 5, \"box\": 3}"));
  }

  /** Until the instance (and its children, {@code ID.node.n}) has {@code n} event waits. */
  private static void awaitWaitingTree(String id, int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                WAITING.stream()
                        .filter(w -> w.startsWith(id + "/") || w.startsWith(id + "."))
                        .count()
                    == n);
  }

  private static void send(String id, String type, String subject, String data) {
    engine.deliver(
        io.cloudevents.core.builder.CloudEventBuilder.v1()
            .withId(id)
            .withSource(java.net.URI.create("test://s"))
            .withType(type)
            .withSubject(subject)
            .withData("application/json", data.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .build());
  }

  static final String EITHER =
      """
      do:
        - either:
            listen:
              to:
                any:
                  - with: {type: sensor.temp, subject: ROOM}
                  - with: {type: sensor.door}
        - after: {set: {got: '${ .[0] }'}}
      """;

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void listenAnyOverSeveralTypesGoesOnWithTheFirstAndStopsWaitingForTheOthers(boolean tempFirst)
      throws Exception {
    String room = "R" + tempFirst;
    String id = start(EITHER.replace("ROOM", room), "{}");
    awaitWaitingTree(id, 2);
    send(id + "-t", "sensor.temp", "other-room", "{\"c\": -1}"); // filtered out by subject
    if (tempFirst) {
      send(id + "-t1", "sensor.temp", room, "{\"c\": 21}");
    } else {
      send(id + "-d1", "sensor.door", "front", "{\"open\": true}");
    }
    JsonNode out = done(id);
    assertThat(out)
        .isEqualTo(
            M.readTree(tempFirst ? "{\"got\": {\"c\": 21}}" : "{\"got\": {\"open\": true}}"));
    awaitWaitingTree(id, 0); // the other filter's wait left the index: no leaked wait
    assertThat(engine.status(id).orElseThrow().state()).isEqualTo(InstanceState.COMPLETED);
  }

  @Test
  void listenAnyOverSeveralTypesTakesOneOfEventsArrivingTogetherAndDuplicatesOnce()
      throws Exception {
    String id = start(EITHER.replace("ROOM", "dup"), "{}");
    awaitWaitingTree(id, 2);
    send(id + "-d", "sensor.door", "back", "{\"open\": false}");
    send(id + "-d", "sensor.door", "back", "{\"open\": false}"); // a redelivery
    send(id + "-t", "sensor.temp", "dup", "{\"c\": 30}");
    assertThat(done(id)).isEqualTo(M.readTree("{\"got\": {\"open\": false}}"));
    awaitWaitingTree(id, 0);
    assertThat(engine.status(id).orElseThrow().state()).isEqualTo(InstanceState.COMPLETED);
  }

  @Test
  void aCompetingForkBranchStillListeningStopsWaitingWhenAnotherBranchWins() throws Exception {
    String id =
        start(
            """
            do:
              - race:
                  fork:
                    compete: true
                    branches:
                      - hear:
                          listen: {to: {one: {with: {type: never.sent}}}}
                      - quick:
                          set: {won: quick}
            """,
            "{}");
    assertThat(done(id)).isEqualTo(M.readTree("{\"won\": \"quick\"}"));
    awaitWaitingTree(id, 0);
  }

  @Test
  void aTimeoutOnListenAnyOverSeveralTypesFailsItAndEndsEveryWait() throws Exception {
    String id =
        start(
            """
            do:
              - either:
                  listen: {to: {any: [{with: {type: never.a}}, {with: {type: never.b}}]}}
                  timeout: {after: PT0.2S}
            """,
            "{}");
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("Timeout");
    awaitWaitingTree(id, 0);
  }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.ExecutionMode;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Serverless Workflow {@code listen} to any of several event types on a master and two workers in
 * this JVM, in worker mode, the events coming through the master: the instance goes on with the
 * first, and the wait for the other type leaves the master's index (no leaked wait).
 */
@IntegrationTest // a master and two workers over gRPC on loopback
class SwListenClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String FLOW =
      """
      document: {dsl: '1.0.0', namespace: test, name: either, version: '1.0.0'}
      do:
        - either:
            listen:
              to:
                any:
                  - with: {type: sensor.temp, subject: room-1}
                  - with: {type: sensor.door}
        - after: {set: {got: '${ .[0] }'}}
      """;

  private static CloudEvent event(String id, String type, String subject, String data) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("test://cluster"))
        .withType(type)
        .withSubject(subject)
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void theFirstEventThroughTheMasterWinsAndTheOtherWaitEnds() throws Exception {
    try (LocalCluster cluster = new LocalCluster(2)) {
      var master = cluster.master();
      WorkflowKey key = master.registerWorkflow("either.yaml", FLOW, "", "", "").workflow().key();
      var run = master.invoke(key, JSON.readTree("{}"), ExecutionMode.WORKER, null, "sw-any-1");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.events().correlator().waitCount() == 2);
      master.routeEvent(event("d-1", "sensor.door", "front", "{\"open\": true}"));
      master.routeEvent(event("d-1", "sensor.door", "front", "{\"open\": true}")); // redelivered
      var end = run.done().get(60, TimeUnit.SECONDS);
      assertThat(end.state()).as("%s", end).isEqualTo(InstanceState.COMPLETED);
      assertThat(end.output()).isEqualTo(JSON.readTree("{\"got\": {\"open\": true}}"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.events().correlator().waitCount() == 0);

      // events held by the master before the instance starts: it takes one and waits no more
      master.routeEvent(event("t-2", "sensor.temp", "room-1", "{\"c\": 21}"));
      var second = master.invoke(key, JSON.readTree("{}"), ExecutionMode.WORKER, null, "sw-any-2");
      var end2 = second.done().get(60, TimeUnit.SECONDS);
      assertThat(end2.state()).as("%s", end2).isEqualTo(InstanceState.COMPLETED);
      assertThat(end2.output()).isEqualTo(JSON.readTree("{\"got\": {\"c\": 21}}"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> master.events().correlator().waitCount() == 0);
    }
  }
}

package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.master.schedule.ScheduleView;
import io.sluice.master.schedule.Schedules;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceSummary;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.RetireWorkflowRequest;
import io.sluice.proto.SendEventResponse;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSummary;
import io.sluice.testing.IntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The master's schedules on a real master process with in-JVM workers: {@code every} starts
 * instances that list, status and metrics show as started by "schedule"; retiring stops it; a newer
 * version's schedule replaces the older one's; a schedule's instances are bounded; {@code after}
 * starts the next only once the previous ended; {@code on} starts an instance with the events as
 * its input; a start that fails is counted and the schedule goes on.
 */
@IntegrationTest // a master process over Netty with in-JVM workers
class ScheduleClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private EventCluster cluster;

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
  }

  private static String sw(String name, String version, String schedule, String tasks) {
    return "document: {dsl: '1.0.2', namespace: test, name: "
        + name
        + ", version: '"
        + version
        + "'}\nschedule: "
        + schedule
        + "\ndo:\n"
        + tasks;
  }

  private static final String SET = "  - a: {set: {ok: true}}\n";

  private List<InstanceSummary> instances(String workflow) {
    return cluster
        .client
        .listInstances(ListInstancesRequest.newBuilder().setWorkflow(workflow).build())
        .getInstancesList();
  }

  private ScheduleView view(String name) {
    return cluster.master.master().schedules().view(name).orElseThrow();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyStartsInstancesStartedByScheduleUntilTheVersionIsRetired() throws Exception {
    cluster = new EventCluster(1, "");
    WorkflowRef ref = cluster.register(sw("tick", "1", "{every: PT0.2S}", SET));
    await().until(() -> instances("tick").size() >= 3);
    for (InstanceSummary s : instances("tick")) {
      assertThat(s.getStartedBy()).isEqualTo("schedule");
      assertThat(cluster.awaitEnd(s.getInstanceId()).getState())
          .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    }
    WorkflowSummary listed =
        cluster.client.listWorkflows(ListWorkflowsRequest.getDefaultInstance()).getWorkflows(0);
    assertThat(listed.getSchedule()).isEqualTo("every PT0.2S");
    assertThat(listed.hasNextFire()).isTrue();
    assertThat(cluster.metrics())
        .contains("sluice_schedules_armed 1.0")
        .containsPattern(
            "sluice_schedule_firings_total\\{kind=\"every\",outcome=\"started\",version=\"1\","
                + "workflow=\"tick\"} [1-9]");

    cluster.client.retireWorkflow(RetireWorkflowRequest.newBuilder().setWorkflow(ref).build());
    assertThat(cluster.master.master().schedules().view("tick")).isEmpty();
    // no new instance for a second (five intervals); a start already under way may still land
    java.util.concurrent.atomic.AtomicInteger last =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              int n = instances("tick").size();
              return n == last.getAndSet(n);
            });
  }

  @Test
  void aNewerVersionsScheduleReplacesTheOlderOnesAndRetiringItHandsItBack() throws Exception {
    cluster = new EventCluster(1, "");
    cluster.register(sw("rep", "1", "{every: PT1H}", SET));
    assertThat(view("rep").describe()).isEqualTo("every PT1H");
    WorkflowRef v2 = cluster.register(sw("rep", "2", "{cron: '0 0 1 1 *'}", SET));
    ScheduleView v = view("rep");
    assertThat(v.key().version()).isEqualTo("2");
    assertThat(Instant.ofEpochMilli(v.nextFireMillis()).toString()).endsWith("-01-01T00:00:00Z");
    List<WorkflowSummary> listed =
        cluster
            .client
            .listWorkflows(ListWorkflowsRequest.newBuilder().setAllVersions(true).build())
            .getWorkflowsList();
    assertThat(listed)
        .extracting(WorkflowSummary::getSchedule)
        .containsExactly("", "cron 0 0 1 1 *");

    cluster.client.retireWorkflow(RetireWorkflowRequest.newBuilder().setWorkflow(v2).build());
    assertThat(view("rep").key().version()).isEqualTo("1");
  }

  @Test
  void aSchedulesRunningInstancesAreBoundedAndFiringsBeyondAreSkipped() throws Exception {
    cluster = new EventCluster(1, "");
    cluster.register(sw("slow", "1", "{every: PT0.05S}", "  - w: {wait: PT1M}\n"));
    await().until(() -> view("slow").skipped() >= 3);
    List<InstanceSummary> running = instances("slow");
    assertThat(running).hasSize(Schedules.MAX_RUNNING);
    assertThat(view("slow").started()).isEqualTo(Schedules.MAX_RUNNING);
  }

  @Test
  void afterStartsTheNextOnlyOnceThePreviousEnded() throws Exception {
    cluster = new EventCluster(1, "");
    cluster.register(sw("again", "1", "{after: PT0.1S}", "  - w: {wait: PT0.2S}\n"));
    await().until(() -> view("again").started() >= 3);
    List<InstanceSummary> all = instances("again");
    // newest first: each started after the one before it finished
    for (int i = 0; i + 1 < all.size(); i++) {
      InstanceSummary later = all.get(i);
      InstanceSummary earlier = all.get(i + 1);
      assertThat(earlier.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
      assertThat(seconds(later.getStarted()))
          .isGreaterThanOrEqualTo(seconds(earlier.getFinished()));
    }
    assertThat(all.stream().filter(s -> s.getState() == InstanceState.INSTANCE_STATE_RUNNING))
        .hasSizeLessThanOrEqualTo(1);
  }

  private static double seconds(com.google.protobuf.Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }

  @Test
  void onStartsAnInstanceWithTheEventsAsItsInput() throws Exception {
    cluster = new EventCluster(1, "");
    cluster.register(
        sw(
            "orders",
            "1",
            "{on: {one: {with: {type: com.example.order, source: shop}}}}",
            "  - pick: {set: {order: '${ .[0].data.order }', type: '${ .[0].type }'}}\n"));
    SendEventResponse other =
        cluster.send(
            CloudEventBuilder.v1()
                .withId("o-0")
                .withSource(URI.create("elsewhere"))
                .withType("com.example.order")
                .build());
    assertThat(other.getDeliveredToList()).isEmpty();
    SendEventResponse r =
        cluster.send(
            CloudEventBuilder.v1()
                .withId("o-1")
                .withSource(URI.create("shop"))
                .withType("com.example.order")
                .withData("application/json", "{\"order\": 42}".getBytes(StandardCharsets.UTF_8))
                .build());
    assertThat(r.getDeliveredToList()).hasSize(1);
    String id = r.getDeliveredTo(0);
    var status = cluster.awaitEnd(id);
    assertThat(status.getState()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(status.getStartedBy()).isEqualTo("schedule");
    JsonNode out = JSON.readTree(status.getOutput().getJson());
    assertThat(out.path("order").asInt()).isEqualTo(42);
    assertThat(out.path("type").asText()).isEqualTo("com.example.order");
  }

  @Test
  void onAllStartsOnceEveryFilterHasItsEventThroughPostEvents() throws Exception {
    cluster = new EventCluster(1, "");
    cluster.register(
        sw(
            "pair",
            "1",
            "{on: {all: [{with: {type: a.done}}, {with: {type: b.done}}]}}",
            "  - both: {set: {a: '${ .[0].data.n }', b: '${ .[1].data.n }'}}\n"));
    String b =
        "{\"specversion\":\"1.0\",\"id\":\"e-b\",\"source\":\"t\",\"type\":\"b.done\","
            + "\"datacontenttype\":\"application/json\",\"data\":{\"n\":2}}";
    String a = b.replace("e-b", "e-a").replace("b.done", "a.done").replace("2}", "1}");
    var first = cluster.post(b);
    assertThat(first.statusCode()).isLessThan(300);
    assertThat(instances("pair")).isEmpty();
    var second = cluster.post(a);
    assertThat(second.statusCode()).isLessThan(300);
    await().until(() -> instances("pair").size() == 1);
    var status = cluster.awaitEnd(instances("pair").get(0).getInstanceId());
    JsonNode out = JSON.readTree(status.getOutput().getJson());
    assertThat(out.path("a").asInt()).isEqualTo(1);
    assertThat(out.path("b").asInt()).isEqualTo(2);
  }

  @Test
  void aStartThatFailsIsCountedAndTheScheduleGoesOn() throws Exception {
    // the cluster admits one running instance of a version: the schedule's next starts fail
    cluster = new EventCluster(1, "limits: {instancesPerWorkflow: 1}\n");
    cluster.register(sw("lonely", "1", "{every: PT0.1S}", "  - w: {wait: PT1M}\n"));
    await().until(() -> view("lonely").failed() >= 3);
    assertThat(view("lonely").started()).isEqualTo(1);
    assertThat(cluster.metrics())
        .containsPattern(
            "sluice_schedule_firings_total\\{kind=\"every\",outcome=\"failed\",version=\"1\","
                + "workflow=\"lonely\"} [3-9]");
  }
}

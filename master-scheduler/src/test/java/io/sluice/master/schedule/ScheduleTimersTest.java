package io.sluice.master.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Schedules} on a {@link ManualScheduler}: one timer per schedule whatever is re-armed,
 * firings at the planned instants, and a new version's schedule replacing the old one. Every start
 * fails here (no cluster), which is counted and does not stop the schedule.
 */
class ScheduleTimersTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final AtomicInteger attempts = new AtomicInteger();
  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final Schedules schedules =
      new Schedules(
          clock,
          new ScheduleStarter() {
            @Override
            public InstanceRun start(WorkflowKey key, JsonNode input) {
              attempts.incrementAndGet();
              throw new IllegalStateException("no live workers");
            }

            @Override
            public List<InstanceRun> running(WorkflowKey key) {
              return List.of();
            }
          });

  @AfterEach
  void close() {
    schedules.close();
  }

  private RegisteredWorkflow register(String version, String schedule) {
    String text =
        "document: {dsl: '1.0.2', namespace: t, name: tick, version: '"
            + version
            + "'}\nschedule: "
            + schedule
            + "\ndo:\n  - a: {set: {ok: true}}\n";
    return registry.register("tick.yaml", text, "", "", "", clock.currentTimeMillis()).workflow();
  }

  private ScheduleView view() {
    return schedules.view("tick").orElseThrow();
  }

  private void awaitFailed(long n) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> view().failed() == n);
  }

  @Test
  void everyFiresAtEachIntervalWithOneTimerHoweverOftenItIsSynced() {
    RegisteredWorkflow v1 = register("1", "{every: PT1S}");
    schedules.sync("tick", Optional.of(v1));
    schedules.sync("tick", Optional.of(v1));
    assertThat(clock.pending()).isEqualTo(1);
    assertThat(view().nextFireMillis()).isEqualTo(1000);
    clock.advance(Duration.ofMillis(3500));
    awaitFailed(3);
    assertThat(clock.pending()).isEqualTo(1);
    assertThat(view().nextFireMillis()).isEqualTo(4000);

    RegisteredWorkflow v2 = register("2", "{every: PT10S}");
    schedules.sync("tick", Optional.of(v2));
    assertThat(clock.pending()).isEqualTo(1); // the old timer is gone
    clock.advance(Duration.ofSeconds(9));
    assertThat(view().key().version()).isEqualTo("2");
    assertThat(view().failed()).isZero();
    clock.advance(Duration.ofSeconds(1));
    awaitFailed(1);
    assertThat(attempts.get()).isEqualTo(4);

    schedules.sync("tick", Optional.empty());
    assertThat(clock.pending()).isZero();
    assertThat(schedules.view("tick")).isEmpty();
  }

  @Test
  void cronFiresAtTheExpressionsTimesOnTheWallClock() {
    // the manual clock starts at the epoch, 1970-01-01T00:00Z, a Thursday
    schedules.sync("tick", Optional.of(register("1", "{cron: '0 12 * * MON'}")));
    long monday = Duration.ofDays(4).plusHours(12).toMillis();
    assertThat(view().nextFireMillis()).isEqualTo(monday);
    clock.advance(Duration.ofMillis(monday - 1));
    assertThat(view().failed()).isZero();
    clock.advance(Duration.ofMillis(1));
    awaitFailed(1);
    assertThat(view().nextFireMillis()).isEqualTo(monday + Duration.ofDays(7).toMillis());
    assertThat(clock.pending()).isEqualTo(1);
  }

  @Test
  void afterTriesAgainAfterTheDelayWhenAStartFails() {
    schedules.sync("tick", Optional.of(register("1", "{after: PT5S}")));
    clock.advance(Duration.ofSeconds(5));
    awaitFailed(1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> clock.pending() == 1);
    clock.advance(Duration.ofSeconds(5));
    awaitFailed(2);
  }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.master.schedule.ScheduleView;
import io.sluice.testing.IntegrationTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A durable master arms the schedules of the workflows it reads back from its journal when it
 * restarts, and keeps a retired version's schedule disarmed.
 */
@IntegrationTest
class ScheduleRestartTest {
  private DurableCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String tick(String name) {
    return "document: {dsl: '1.0.2', namespace: test, name: "
        + name
        + ", version: '1'}\nschedule: {every: PT0.2S}\ndo:\n  - a: {set: {ok: true}}\n";
  }

  private long started(String name) {
    return cluster.master().schedules().view(name).map(ScheduleView::started).orElse(0L);
  }

  @Test
  void aRestartedMasterArmsTheRecordedSchedulesAgainButNotRetiredOnes() {
    cluster = new DurableCluster(new MemoryJournal(), 10);
    cluster.master().registerWorkflow("tick.yaml", tick("tick"), "", "", "");
    WorkflowKey off =
        cluster.master().registerWorkflow("off.yaml", tick("off"), "", "", "").workflow().key();
    cluster.master().retire(off, true);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> started("tick") >= 2);
    assertThat(cluster.master().schedules().view("off")).isEmpty();

    cluster.restartMaster();

    assertThat(cluster.master().schedules().view("tick")).isPresent();
    assertThat(cluster.master().schedules().view("off")).isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> started("tick") >= 2);
  }
}

package io.sluice.master.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The draining rule of {@link Membership}: a draining worker stays alive but is no longer
 * placeable; a new incarnation ends the draining, the same one keeps it.
 */
class DrainingTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Membership m = new Membership(time, new HeartbeatConfig(Duration.ofMillis(100), 3));
  private final List<String> lost = new ArrayList<>();

  DrainingTest() {
    m.addListener(
        (w, reason) -> {
          lost.add(w.id());
          return 0;
        });
  }

  private static WorkerInfo worker(String id, long incarnation) {
    return new WorkerInfo(
        id, "127.0.0.1:1" + id.substring(1), 4, 1024, List.of("synthetic"), incarnation);
  }

  private void beatAll(String... ids) {
    for (String id : ids) {
      assertThat(m.heartbeat(new WorkerCapacity(id, 4, 1024), 0, WorkerMemory.NONE, 1).counted())
          .as("heartbeat of %s", id)
          .isTrue();
    }
  }

  @Test
  void aDrainingWorkerStaysAliveButIsLeftOutOfPlacements() {
    m.register(worker("w1", 1));
    m.register(worker("w2", 1));
    long epoch = m.epoch();

    assertThat(m.drain("w2", true).id()).isEqualTo("w2");
    assertThat(m.epoch()).isGreaterThan(epoch);
    assertThat(m.draining("w2")).isTrue();
    assertThat(m.liveDraining()).containsExactly("w2");
    assertThat(m.placeable()).extracting(WorkerInfo::id).containsExactly("w1");
    assertThat(m.placeableCapacities()).extracting(WorkerCapacity::workerId).containsExactly("w1");
    assertThat(m.live()).extracting(WorkerInfo::id).containsExactly("w1", "w2");

    // draining again changes nothing; heartbeats keep it alive well past the death silence
    long drained = m.epoch();
    m.drain("w2", true);
    assertThat(m.epoch()).isEqualTo(drained);
    for (int i = 0; i < 10; i++) {
      time.advance(Duration.ofMillis(100));
      beatAll("w1", "w2");
    }
    assertThat(lost).isEmpty();
    assertThat(m.alive("w2")).isTrue();
    assertThat(m.draining("w2")).isTrue();

    m.drain("w2", false);
    assertThat(m.epoch()).isGreaterThan(drained);
    assertThat(m.placeable()).extracting(WorkerInfo::id).containsExactly("w1", "w2");
    assertThat(m.liveDraining()).isEmpty();
  }

  @Test
  void aNewIncarnationEndsTheDrainingTheSameOneKeepsIt() {
    m.register(worker("w1", 1));
    m.register(worker("w2", 7));
    m.drain("w2", true);

    // the same process registers again (e.g. after it was declared dead): still draining
    m.register(worker("w2", 7));
    assertThat(m.draining("w2")).isTrue();
    assertThat(m.placeable()).extracting(WorkerInfo::id).containsExactly("w1");

    // the upgraded process: a new incarnation takes parts again
    m.register(worker("w2", 8));
    assertThat(m.draining("w2")).isFalse();
    assertThat(m.placeable()).extracting(WorkerInfo::id).containsExactly("w1", "w2");
  }

  @Test
  void aDeadDrainingWorkerIsNeitherLiveNorPlaceableAndAnUnknownIdIsNotFound() {
    m.register(worker("w1", 1));
    m.register(worker("w2", 1));
    m.drain("w1", true);
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofMillis(100));
      beatAll("w2");
    }
    assertThat(lost).containsExactly("w1");
    assertThat(m.liveDraining()).isEmpty();
    assertThat(m.placeable()).extracting(WorkerInfo::id).containsExactly("w2");

    assertThatThrownBy(() -> m.drain("w9", true))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no worker w9 registered")
        .hasMessageContaining("w1, w2");
  }
}

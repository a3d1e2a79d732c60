package io.sluice.master.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Membership m = new Membership(time, new HeartbeatConfig(Duration.ofMillis(100), 3));
  private final List<String> lost = new ArrayList<>();

  MembershipTest() {
    m.addListener((w, reason) -> lost.add(w.id() + ": " + reason));
  }

  private static WorkerInfo worker(String id) {
    return new WorkerInfo(id, "127.0.0.1:1" + id.substring(1), 4, 1024, List.of("synthetic"));
  }

  @Test
  void aWorkerThatMissesItsHeartbeatsDiesOnceAndComesBackByRegistering() {
    m.register(worker("w1"));
    m.register(worker("w2"));
    long epoch = m.epoch();
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofMillis(100));
      assertThat(m.heartbeat(new WorkerCapacity("w1", 2, 512), 0)).isTrue();
    }
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0)).startsWith("w2: worker w2 (127.0.0.1:12) missed 3 heartbeats");
    assertThat(m.live()).extracting(WorkerInfo::id).containsExactly("w1");
    assertThat(m.liveCapacities()).containsExactly(new WorkerCapacity("w1", 2, 512));
    assertThat(m.epoch()).isGreaterThan(epoch);
    assertThat(m.heartbeat(new WorkerCapacity("w2", 4, 1024), 0)).isFalse();

    m.register(worker("w2"));
    assertThat(m.alive("w2")).isTrue();
    time.advance(Duration.ofMillis(250));
    assertThat(lost).hasSize(1);
    time.advance(Duration.ofMillis(100));
    assertThat(lost).hasSize(3).last().asString().startsWith("w2");
    assertThat(Map.of("w1", m.alive("w1"), "w2", m.alive("w2")))
        .containsEntry("w1", false)
        .containsEntry("w2", false);
  }

  @Test
  void theMembershipKeepsTheMemoryEachWorkerReports() {
    m.register(worker("w1"));
    assertThat(m.memory("w1")).contains(WorkerMemory.NONE);
    WorkerMemory reported = new WorkerMemory(512L << 20, 200L << 20, 156L << 20);
    assertThat(m.heartbeat(new WorkerCapacity("w1", 2, 156L << 20), 0, reported)).isTrue();
    assertThat(m.memory("w1")).contains(reported);
    assertThat(reported.containersUnusedBytes()).isEqualTo(312L << 20);
    // the placement sees the FaaStore budget the worker reports as its free memory
    assertThat(m.liveCapacities()).containsExactly(new WorkerCapacity("w1", 2, 156L << 20));
    assertThat(m.capacity("w1")).contains(new WorkerCapacity("w1", 2, 156L << 20));
    m.register(worker("w1"));
    assertThat(m.memory("w1")).contains(WorkerMemory.NONE);
    assertThat(m.memory("w9")).isEmpty();
  }

  @Test
  void anUnknownWorkerMustRegister() {
    assertThat(m.heartbeat(new WorkerCapacity("w9", 1, 1), 0)).isFalse();
    assertThat(m.live()).isEmpty();
  }
}

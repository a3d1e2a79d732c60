package io.sluice.master.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.time.ManualScheduler;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private final ManualScheduler time = new ManualScheduler();
  private final Membership m = new Membership(time, new HeartbeatConfig(Duration.ofMillis(100), 3));
  private final List<String> lost = new ArrayList<>();

  MembershipTest() {
    listen(m);
  }

  private void listen(Membership membership) {
    membership.addListener(
        (w, reason) -> {
          lost.add(w.id() + ": " + reason);
          return 0;
        });
  }

  private static WorkerInfo worker(String id) {
    return worker(id, 0);
  }

  private static WorkerInfo worker(String id, long incarnation) {
    return new WorkerInfo(
        id, "127.0.0.1:1" + id.substring(1), 4, 1024, List.of("synthetic"), incarnation);
  }

  private static Membership.Verdict beat(Membership on, String id, long incarnation) {
    return on.heartbeat(new WorkerCapacity(id, 4, 1024), 0, WorkerMemory.NONE, incarnation);
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
    assertThat(lost.get(0))
        .startsWith("w2: worker w2 (127.0.0.1:12) sent no heartbeat for 300 ms")
        .contains("phi ", "threshold 10.0", "considered dead");
    assertThat(m.live()).extracting(WorkerInfo::id).containsExactly("w1");
    assertThat(m.liveCapacities()).containsExactly(new WorkerCapacity("w1", 2, 512));
    assertThat(m.epoch()).isGreaterThan(epoch);
    assertThat(m.heartbeat(new WorkerCapacity("w2", 4, 1024), 0)).isFalse();
    assertThat(beat(m, "w2", 0).reason()).startsWith("declared dead: worker w2");

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
  void aLiveIdCannotBeTakenOverFromAnotherAddressButARestartInPlaceReplacesIt() {
    m.register(worker("w1", 100));
    time.advance(Duration.ofMillis(80));
    WorkerInfo impostor =
        new WorkerInfo("w1", "127.0.0.1:17401", 64, 1024, List.of("synthetic"), 999);
    assertThatThrownBy(() -> m.register(impostor))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining(
            "worker w1 is alive at 127.0.0.1:11 (last heartbeat 80 ms ago); stop it first or wait"
                + " until it is declared dead");
    assertThat(m.find("w1").orElseThrow().address()).isEqualTo("127.0.0.1:11");
    assertThat(lost).isEmpty();

    m.register(worker("w1", 200)); // the same address, a later run: a restart
    assertThat(m.find("w1").orElseThrow().incarnation()).isEqualTo(200);

    time.advance(Duration.ofSeconds(5)); // declared dead: then another address may have the id
    assertThat(m.alive("w1")).isFalse();
    m.register(impostor);
    assertThat(m.find("w1").orElseThrow().address()).isEqualTo("127.0.0.1:17401");
  }

  @Test
  void onAQuietMachineAWorkerDiesExactlyAtTheFloorAsBefore() {
    Membership quiet = new Membership(time, HeartbeatConfig.DEFAULT);
    listen(quiet);
    quiet.register(worker("w1"));
    for (int i = 0; i < 60; i++) {
      time.advance(Duration.ofMillis(500));
      assertThat(beat(quiet, "w1", 0).counted()).isTrue();
    }
    assertThat(quiet.deathSilence("w1")).contains(Duration.ofSeconds(2));
    time.advance(Duration.ofMillis(1999));
    assertThat(quiet.alive("w1")).isTrue();
    time.advance(Duration.ofMillis(1));
    assertThat(quiet.alive("w1")).isFalse();
    assertThat(lost).singleElement().asString().contains("sent no heartbeat for 2000 ms");
  }

  @Test
  void aWorkerWhoseHeartbeatsArriveLateButSteadilyUnderLoadIsNotDeclaredDead() {
    Membership busy = new Membership(time, HeartbeatConfig.DEFAULT);
    listen(busy);
    busy.register(worker("w1"));
    Random random = new Random(11);
    // quiet, then the host gets busier: heartbeats 0.5-1.5 s apart, 0.5-2.5 s, then 0.5-3.5 s
    long[] spread = {0, 1000, 2000, 3000};
    long longest = 0;
    for (long s : spread) {
      for (int i = 0; i < 60; i++) {
        long gap = 500 + (s == 0 ? 0 : (long) (random.nextDouble() * s));
        longest = Math.max(longest, gap);
        time.advance(Duration.ofMillis(gap));
        assertThat(beat(busy, "w1", 0).counted()).as("beat %d after %d ms", i, gap).isTrue();
      }
    }
    assertThat(lost).isEmpty();
    assertThat(longest).isGreaterThan(3000);
    Duration grace = busy.deathSilence("w1").orElseThrow();
    assertThat(grace).isGreaterThan(Duration.ofMillis(longest));

    // then it stops: declared dead once phi crosses the threshold, before the longest silence
    time.advance(grace.minusMillis(1));
    assertThat(busy.alive("w1")).isTrue();
    time.advance(Duration.ofMillis(1));
    assertThat(busy.alive("w1")).isFalse();
    assertThat(grace).isLessThanOrEqualTo(HeartbeatConfig.DEFAULT.maxSilence());
    assertThat(lost).singleElement().asString().contains("phi ");
  }

  @Test
  void aWorkerThatStopsIsDeclaredDeadByTheLongestSilenceHoweverIrregularItWas() {
    Membership wild = new Membership(time, HeartbeatConfig.DEFAULT);
    listen(wild);
    wild.register(worker("w1"));
    Random random = new Random(3);
    for (int i = 0; i < 100; i++) {
      long gap = 500 + (long) (random.nextDouble() * 1000) + (i % 10 == 9 ? 8000 : 0);
      time.advance(Duration.ofMillis(gap));
      beat(wild, "w1", 0);
      if (!wild.alive("w1")) {
        wild.register(worker("w1"));
      }
    }
    lost.clear();
    time.advance(HeartbeatConfig.DEFAULT.maxSilence());
    assertThat(wild.alive("w1")).isFalse();
    assertThat(lost).hasSize(1);
  }

  @Test
  void aMasterThatWasStalledItselfLooksAgainBeforeBlamingTheWorker() {
    // every task runs 300 ms after it was due: the master's own threads are starved
    Scheduler late =
        new Scheduler() {
          @Override
          public long nanoTime() {
            return time.nanoTime();
          }

          @Override
          public long currentTimeMillis() {
            return time.currentTimeMillis();
          }

          @Override
          public Cancellable schedule(Duration delay, Runnable task) {
            return time.schedule(delay.plusMillis(300), task);
          }
        };
    Membership stalled = new Membership(late, new HeartbeatConfig(Duration.ofMillis(100), 3));
    listen(stalled);
    stalled.register(worker("w1"));
    // due at 300 ms, checked at 600 ms: too late to trust; looked at again at 1000 ms
    time.advance(Duration.ofMillis(650));
    assertThat(stalled.alive("w1")).isTrue();
    assertThat(beat(stalled, "w1", 0).counted()).isTrue();
    assertThat(lost).isEmpty();
    // silent again: the late check grants one more interval (run 300 ms late too), then declares
    Duration silence = stalled.deathSilence("w1").orElseThrow();
    time.advance(silence.plusMillis(350));
    assertThat(stalled.alive("w1")).isTrue();
    time.advance(Duration.ofMillis(400));
    assertThat(stalled.alive("w1")).isFalse();
    assertThat(lost).hasSize(1);
  }

  @Test
  void aNewIncarnationReplacesItsPredecessorWhoseHeartbeatsAreRefused() {
    m.register(worker("w1", 100));
    long first = m.registrations().get("w1");
    assertThat(beat(m, "w1", 100).counted()).isTrue();

    m.register(worker("w1", 200));
    assertThat(lost)
        .singleElement()
        .asString()
        .startsWith("w1: worker w1 (127.0.0.1:11) registered again as a new incarnation (200")
        .contains("lost");
    assertThat(m.alive("w1")).isTrue();
    assertThat(m.find("w1").orElseThrow().incarnation()).isEqualTo(200);
    assertThat(m.registrations().get("w1")).isNotEqualTo(first);

    Membership.Verdict old = beat(m, "w1", 100);
    assertThat(old.counted()).isFalse();
    assertThat(old.reason()).contains("incarnation 100 refused", "incarnation 200 is registered");
    // the old one's heartbeats do not keep the new one alive
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofMillis(100));
      beat(m, "w1", 100);
    }
    assertThat(m.alive("w1")).isFalse();

    m.register(worker("w1", 200));
    assertThat(beat(m, "w1", 200).counted()).isTrue();
    assertThatThrownBy(() -> m.register(worker("w1", 100)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription())
                  .contains(
                      "worker w1 (127.0.0.1:11): incarnation 100 is older than incarnation 200");
            });
    assertThat(m.find("w1").orElseThrow().incarnation()).isEqualTo(200);
  }

  @Test
  void theSameIncarnationBackFromAFalseDeathIsRegisteredAgainWithoutANewLoss() {
    m.register(worker("w1", 100));
    long first = m.registrations().get("w1");
    time.advance(Duration.ofMillis(300));
    assertThat(m.alive("w1")).isFalse();
    assertThat(lost).hasSize(1);
    Membership.Verdict dead = beat(m, "w1", 100);
    assertThat(dead.counted()).isFalse();
    assertThat(dead.reason()).startsWith("declared dead: worker w1").contains("300 ms");

    m.register(worker("w1", 100));
    assertThat(m.alive("w1")).isTrue();
    assertThat(lost).hasSize(1);
    // a new registration number: what was deployed on it before is sent again
    assertThat(m.registrations().get("w1")).isNotEqualTo(first);
    // a repeated registration of a live worker's incarnation loses nothing either
    m.register(worker("w1", 100));
    assertThat(lost).hasSize(1);
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
    assertThat(beat(m, "w9", 7).reason()).isEqualTo("worker w9 is not registered with this master");
    assertThat(m.live()).isEmpty();
  }

  @Test
  void phiGrowsWithTheSilenceAgainstTheWorkersOwnIntervals() {
    PhiAccrual d = new PhiAccrual(100_000_000L, 1_000_000L, 0);
    long now = 0;
    for (int i = 0; i < 50; i++) {
      now += i % 2 == 0 ? 90_000_000L : 110_000_000L;
      d.heartbeat(now);
    }
    assertThat(d.meanNanos()).isBetween(99e6, 101e6);
    assertThat(d.stdDeviationNanos()).isBetween(9e6, 11e6);
    assertThat(d.phi(100_000_000L)).isBetween(0.2, 0.4); // half the intervals are longer
    assertThat(d.phi(150_000_000L)).isGreaterThan(d.phi(130_000_000L)).isGreaterThan(3);
    long eight = d.silenceReaching(8, 10_000_000_000L);
    assertThat(d.phi(eight)).isGreaterThanOrEqualTo(8);
    assertThat(d.phi(eight - 2_000)).isLessThan(8);
  }
}

package io.sluice.master.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.master.membership.WorkerInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who takes over a dead worker's part. Found by the chaos test: w1 died and its part w1 of an
 * instance moved to w2; w2 died too and the part was given back to w1, restarted meanwhile as a new
 * incarnation, which refused it ("worker w1 cannot adopt its own part"), so the instance failed
 * with WorkerLost although w3 was live.
 */
class PartRecoveryHeirTest {
  private static WorkerInfo worker(String id) {
    return new WorkerInfo(id, "127.0.0.1:1" + id.substring(1), 4, 1 << 20, List.of("synthetic"));
  }

  @Test
  void aPartNeverGoesBackToANewIncarnationOfItsOwnWorker() {
    List<WorkerInfo> live = List.of(worker("w1"), worker("w3"));
    Set<String> heirs = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      WorkerInfo heir = PartRecovery.heir("i-" + i, "w1", live);
      heirs.add(heir.id());
    }
    assertThat(heirs).containsExactly("w3");
    assertThat(PartRecovery.heir("i-1", "w1", List.of(worker("w1")))).isNull();
  }

  @Test
  void partsOfOtherWorkersAreSpreadOverEveryLiveWorkerTheSameWayEachTime() {
    List<WorkerInfo> live = List.of(worker("w1"), worker("w3"));
    Set<String> heirs = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      WorkerInfo heir = PartRecovery.heir("i-" + i, "w2", live);
      assertThat(PartRecovery.heir("i-" + i, "w2", live)).isEqualTo(heir);
      heirs.add(heir.id());
    }
    assertThat(heirs).containsExactlyInAnyOrder("w1", "w3");
  }
}

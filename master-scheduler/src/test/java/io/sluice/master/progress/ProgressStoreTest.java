package io.sluice.master.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.NodeSteps;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.NodeProgress;
import io.sluice.proto.NodeRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressStoreTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  private ProgressStore store(int perInstance, long total) {
    return new ProgressStore(now::get, new ProgressLimits(perInstance, total, 4, 1_000));
  }

  private static NodeProgress step(String instance, String node, String state, int attempt) {
    return NodeProgress.newBuilder()
        .setInstanceId(instance)
        .setNodeId(node)
        .setState(state)
        .setAttempt(attempt)
        .setTimeMillis(1_000_000 + attempt)
        .build();
  }

  @Test
  void theTableHasARowPerNodeInGraphOrderAndFollowsTheSteps() {
    ProgressStore s = store(100, 1_000);
    s.open("i1", List.of("c", "a", "b"), "");
    s.report("w1", List.of(step("i1", "a", "started", 1)), 0);
    s.report(
        "w2",
        List.of(
            step("i1", "b", "started", 1),
            step("i1", "b", "retrying", 1).toBuilder()
                .setError(ErrorInfo.newBuilder().setType("Boom").setMessage("no"))
                .build(),
            step("i1", "b", "started", 2),
            step("i1", "b", "failed", 2).toBuilder().setDurationNanos(5_000_000).build()),
        0);
    List<NodeRun> rows = s.find("i1").orElseThrow().nodes();
    assertThat(rows).extracting(NodeRun::getNodeId).containsExactly("c", "a", "b");
    assertThat(rows).extracting(NodeRun::getState).containsExactly("pending", "running", "failed");
    assertThat(rows.get(2).getWorkerId()).isEqualTo("w2");
    assertThat(rows.get(2).getAttempts()).isEqualTo(2);
    assertThat(rows.get(2).getDuration().getNanos()).isEqualTo(5_000_000);
    assertThat(s.find("i1").orElseThrow().counts()).containsExactly(1, 0);
    assertThat(s.find("i1").orElseThrow().workers()).containsExactly("w1", "w2");
    assertThat(s.find("i1").orElseThrow().page(0, 100).events())
        .extracting(HistoryEvent::getType)
        .containsExactly(
            "instance.started",
            "node.started",
            "node.started",
            "node.retrying",
            "node.started",
            "node.failed");
  }

  @Test
  void mapItemsCountTowardsTheirNode() {
    ProgressStore s = store(100, 1_000);
    s.open("i1", List.of("m"), "");
    var item = step("i1", "m", "completed", 1).toBuilder().setItem(3).setItemsTotal(5).build();
    s.report("w1", List.of(item), 0);
    NodeRun m = s.find("i1").orElseThrow().nodes().get(0);
    assertThat(m.getState()).isEqualTo("running");
    assertThat(m.getItemsDone()).isEqualTo(1);
    assertThat(m.getItemsTotal()).isEqualTo(5);
    assertThat(s.find("i1").orElseThrow().page(1, 10).events().get(0).getNodeId())
        .isEqualTo("m[2]");
  }

  @Test
  void historyPagesContinueAfterTheLastSeq() {
    ProgressStore s = store(100, 1_000);
    s.open("i1", List.of("a"), "");
    for (int i = 1; i <= 9; i++) {
      s.report("w1", List.of(step("i1", "a", "started", i)), 0);
    }
    List<Long> seqs = new ArrayList<>();
    long after = 0;
    InstanceProgress.HistoryPage page;
    do {
      page = s.find("i1").orElseThrow().page(after, 4);
      page.events().forEach(e -> seqs.add(e.getSeq()));
      after = page.lastSeq();
    } while (page.more());
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(s.find("i1").orElseThrow().page(10, 4).events()).isEmpty();
    assertThat(s.find("i1").orElseThrow().page(10, 4).lastSeq()).isEqualTo(10);
  }

  @Test
  void theRingKeepsTheNewestStepsAndCountsTheDroppedOnes() {
    ProgressStore s = store(3, 1_000);
    s.open("i1", List.of("a"), "");
    for (int i = 1; i <= 5; i++) {
      s.report("w1", List.of(step("i1", "a", "started", i)), 0);
    }
    s.report("w1", List.of(step("i1", "a", "completed", 5)), 7);
    var page = s.find("i1").orElseThrow().page(0, 10);
    assertThat(page.events()).extracting(HistoryEvent::getSeq).containsExactly(5L, 6L, 7L);
    assertThat(page.dropped()).isEqualTo(4 + 7); // 4 over the cap, 7 the worker dropped
    assertThat(s.total()).isEqualTo(3);
  }

  @Test
  void theTotalCapTrimsTheOldestFinishedInstancesFirst() {
    ProgressStore s = store(10, 12);
    s.open("old", List.of("a"), "");
    s.report("w1", List.of(step("old", "a", "started", 1)), 0);
    s.ended("old", "instance.succeeded", "");
    s.open("new", List.of("a"), "");
    for (int i = 1; i <= 9; i++) {
      s.report("w1", List.of(step("new", "a", "started", i)), 0);
    }
    assertThat(s.total()).isLessThanOrEqualTo(12);
    assertThat(s.find("old").orElseThrow().size()).isZero();
    assertThat(s.find("old").orElseThrow().page(0, 10).dropped()).isEqualTo(3);
    assertThat(s.find("new").orElseThrow().size()).isEqualTo(10);
    s.open("third", List.of("a"), "");
    s.report("w1", List.of(step("third", "a", "started", 1)), 0);
    assertThat(s.total()).isLessThanOrEqualTo(12); // no finished left: the reporter's own go
  }

  @Test
  void stepsOfUnknownOrLongFinishedInstancesAreIgnored() {
    ProgressStore s = store(10, 100);
    s.open("i1", List.of("a"), "");
    s.ended("i1", "instance.succeeded", "");
    s.report("w1", List.of(step("i1", "a", "completed", 1)), 0); // late, within lateMillis
    now.addAndGet(5_000);
    s.report("w1", List.of(step("i1", "a", "completed", 2), step("nope", "a", "started", 1)), 0);
    assertThat(s.ignored()).isEqualTo(2);
    assertThat(s.find("i1").orElseThrow().nodes().get(0).getAttempts()).isEqualTo(1);
    s.forget("i1");
    assertThat(s.find("i1")).isEmpty();
    assertThat(s.total()).isZero();
  }

  @Test
  void listenersHearEveryStepAfterTheirSnapshotInOrder() {
    ProgressStore s = store(100, 1_000);
    InstanceProgress p = s.open("i1", List.of("a", "b"), "");
    List<String> heard = new ArrayList<>();
    List<List<NodeRun>> snapshots = new ArrayList<>();
    p.listen((node, step) -> heard.add(step.getSeq() + " " + step.getType()), snapshots::add);
    s.report("w1", List.of(step("i1", "a", "started", 1)), 0);
    s.record("i1", "event.received", null, null, "e");
    assertThat(snapshots).hasSize(1);
    assertThat(heard).containsExactly("2 node.started", "3 event.received");
  }

  @Test
  void theMasterEnginesStepsMapToTheMastersIds() {
    ProgressStore s = store(100, 1_000);
    s.open("m-1", List.of("a"), "");
    NodeSteps steps = s.nodeSteps(eid -> eid.equals("e-1") ? "m-1" : eid, "master");
    steps.step(
        "e-1",
        "a",
        new NodeSteps.Step(NodeSteps.Kind.FAILED, 1, 1_000_001, 10, "Boom", "no", 0, 0));
    NodeRun a = s.find("m-1").orElseThrow().nodes().get(0);
    assertThat(a.getState()).isEqualTo("failed");
    assertThat(a.getError().getType()).isEqualTo("Boom");
    assertThat(a.getWorkerId()).isEqualTo("master");
  }
}

package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.ProgressConfig;
import io.sluice.engine.NodeSteps;
import io.sluice.engine.NodeSteps.Kind;
import io.sluice.engine.NodeSteps.Step;
import io.sluice.proto.NodeProgress;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a worker's progress reporter sends a (stand-in) master, and what it does when it cannot. */
class ProgressReporterTest {
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private MasterStandIn master;
  private NodeSteps reporter;

  @AfterEach
  void close() throws Exception {
    if (reporter instanceof ProgressReporter r) {
      r.close();
    }
    if (master != null) {
      master.close();
    }
    scheduler.close();
  }

  private static Step step(Kind kind, int attempt) {
    return new Step(kind, attempt, 1_700_000_000_123L, 0, null, null, 0, 0);
  }

  private List<NodeProgress> received() {
    return master.progress.stream().flatMap(r -> r.getStepsList().stream()).toList();
  }

  @Test
  void stepsReachTheMasterInOrderWithEveryField() throws Exception {
    master = new MasterStandIn(0);
    reporter =
        ProgressReporter.start(
            "w1",
            master.channel(),
            scheduler,
            new ProgressConfig(true, Duration.ofMillis(20), 100));
    reporter.step("i1", "a", step(Kind.STARTED, 1));
    reporter.step(
        "i1",
        "a",
        new Step(Kind.RETRYING, 1, 1_700_000_000_200L, 77_000, "Flaky", "not yet", 0, 0));
    reporter.step("i1", "m", new Step(Kind.COMPLETED, 2, 1_700_000_000_300L, 5, null, null, 3, 4));
    Awaitility.await().until(() -> received().size() == 3);
    List<NodeProgress> got = received();
    assertThat(got)
        .extracting(NodeProgress::getState)
        .containsExactly("started", "retrying", "completed");
    assertThat(got.get(0).getInstanceId()).isEqualTo("i1");
    assertThat(got.get(0).getTimeMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(got.get(0).hasError()).isFalse();
    assertThat(got.get(1).getDurationNanos()).isEqualTo(77_000);
    assertThat(got.get(1).getError().getType()).isEqualTo("Flaky");
    assertThat(got.get(1).getError().getMessage()).isEqualTo("not yet");
    assertThat(got.get(1).getError().getWorkerId()).isEqualTo("w1");
    assertThat(got.get(2).getAttempt()).isEqualTo(2);
    assertThat(got.get(2).getItem()).isEqualTo(3);
    assertThat(got.get(2).getItemsTotal()).isEqualTo(4);
    assertThat(master.progress).allMatch(r -> r.getWorkerId().equals("w1"));
    Awaitility.await().until(() -> ((ProgressReporter) reporter).held() == 0);
    assertThat(((ProgressReporter) reporter).sent()).isEqualTo(3);
  }

  @Test
  void aFullBufferDropsAndCountsAndTheCountGoesWithTheNextReport() throws Exception {
    master = new MasterStandIn(0);
    ProgressReporter r = ProgressReporter.manual("w1", master.channel(), scheduler, 5);
    reporter = r;
    for (int i = 1; i <= 8; i++) {
      r.step("i1", "n" + i, step(Kind.STARTED, 1));
    }
    assertThat(r.dropped()).isEqualTo(3);
    assertThat(r.held()).isEqualTo(5);
    r.flush();
    Awaitility.await().until(() -> master.progress.size() == 1);
    ReportProgressRequest first = master.progress.get(0);
    assertThat(first.getStepsList())
        .extracting(NodeProgress::getNodeId)
        .containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(first.getDropped()).isEqualTo(3);
    Awaitility.await().until(() -> r.held() == 0);
    r.step("i1", "n9", step(Kind.STARTED, 1));
    r.flush();
    Awaitility.await().until(() -> master.progress.size() == 2);
    assertThat(master.progress.get(1).getDropped()).isZero(); // counted once
  }

  @Test
  void aMasterThatIsAwayGetsTheSameBatchAgainAndNewStepsWaitInTheBuffer() throws Exception {
    master = new MasterStandIn(0);
    master.refuseProgress.set(2);
    ProgressReporter r = ProgressReporter.manual("w1", master.channel(), scheduler, 4);
    reporter = r;
    r.step("i1", "a", step(Kind.STARTED, 1));
    r.step("i1", "a", step(Kind.COMPLETED, 1));
    r.flush(); // refused
    Awaitility.await().until(() -> r.failedCalls() == 1);
    r.step("i1", "b", step(Kind.STARTED, 1));
    r.step("i1", "b", step(Kind.COMPLETED, 1));
    r.step("i1", "c", step(Kind.STARTED, 1)); // the buffer (4) holds the unsent batch and b's
    assertThat(r.dropped()).isEqualTo(1);
    r.flush(); // refused again
    Awaitility.await().until(() -> r.failedCalls() == 2);
    r.flush(); // taken: the first batch, then the rest
    Awaitility.await().until(() -> master.progress.size() == 1);
    assertThat(master.progress.get(0).getStepsList())
        .extracting(NodeProgress::getNodeId)
        .containsExactly("a", "a");
    assertThat(master.progress.get(0).getDropped()).isEqualTo(1);
    Awaitility.await().until(() -> r.held() == 2);
    r.flush();
    Awaitility.await().until(() -> master.progress.size() == 2);
    assertThat(master.progress.get(1).getStepsList())
        .extracting(NodeProgress::getNodeId)
        .containsExactly("b", "b");
  }

  @Test
  void anUnreachableMasterNeverBlocksTheEngine() throws Exception {
    MasterStandIn gone = new MasterStandIn(0);
    io.grpc.ManagedChannel ch =
        io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(gone.address())
            .usePlaintext()
            .build();
    gone.close(); // nothing listens there any more
    try {
      reporter =
          ProgressReporter.start(
              "w1", ch, scheduler, new ProgressConfig(true, Duration.ofMillis(5), 1000));
      for (int i = 0; i < 50_000; i++) {
        reporter.step("i" + (i % 7), "n", step(Kind.STARTED, 1));
      }
      ProgressReporter r = (ProgressReporter) reporter;
      assertThat(r.held() + r.dropped()).isEqualTo(50_000);
      assertThat(r.held()).isLessThanOrEqualTo(1000);
      Awaitility.await().until(() -> r.failedCalls() > 0);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void progressOffIsNone() {
    assertThat(ProgressReporter.start("w1", null, scheduler, ProgressConfig.OFF))
        .isSameAs(NodeSteps.NONE);
  }
}

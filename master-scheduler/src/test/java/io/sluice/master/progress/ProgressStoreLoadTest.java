package io.sluice.master.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proto.NodeProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many instances reporting at once: the total cap holds and every instance keeps its table. Prints
 * the steps recorded per second (the cost ReportProgress adds to the master; no time is asserted).
 */
class ProgressStoreLoadTest {
  @Test
  void aMillionStepsOverTwoThousandInstancesStayWithinTheTotalCap() {
    ProgressStore s =
        new ProgressStore(System::currentTimeMillis, new ProgressLimits(1_000, 100_000, 64, 0));
    int instances = 2_000;
    List<String> nodes = List.of("a", "b", "c", "d", "e");
    for (int i = 0; i < instances; i++) {
      s.open("i" + i, nodes, "");
      if (i < instances / 2) {
        s.ended("i" + i, "instance.succeeded", ""); // half finished: their histories go first
      }
    }
    List<NodeProgress> batch = new ArrayList<>();
    long start = System.nanoTime();
    int steps = 1_000_000;
    for (int k = 0; k < steps; k++) {
      int i = instances / 2 + k % (instances / 2);
      batch.add(
          NodeProgress.newBuilder()
              .setInstanceId("i" + i)
              .setNodeId(nodes.get((k / (instances / 2)) % nodes.size()))
              .setState(k % 2 == 0 ? "started" : "completed")
              .setAttempt(1)
              .setTimeMillis(k)
              .build());
      if (batch.size() == 256) {
        s.report("w1", batch, 0);
        batch.clear();
      }
    }
    s.report("w1", batch, 0);
    long nanos = System.nanoTime() - start;
    System.out.printf(
        "progress store: %d steps over %d running instances in %d ms (%.0f steps/s), %d kept%n",
        steps, instances / 2, nanos / 1_000_000, steps / (nanos / 1e9), s.total());
    assertThat(s.total()).isLessThanOrEqualTo(100_000);
    assertThat(s.find("i0").orElseThrow().size()).isZero();
    assertThat(s.find("i" + (instances - 1)).orElseThrow().nodes())
        .extracting(io.sluice.proto.NodeRun::getState)
        .doesNotContain("pending");
  }
}

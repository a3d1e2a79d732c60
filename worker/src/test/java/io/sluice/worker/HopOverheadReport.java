package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prints the per-hop overhead of a 200-node chain of java no-op functions alternating between two
 * workers over gRPC on loopback, against the same chain inside one worker. The fixed cost of an
 * instance (StartInstance calls, InstanceFinished reports) is taken out by also timing a 2-node
 * chain with the same placement: per hop = (t200 - t2) / 198. Reports numbers; asserts only that
 * every run completed.
 */
class HopOverheadReport {
  private static final int NODES = 200;
  private static final int WARMUP = 30;
  private static final int RUNS = 50;

  @Test
  void perHopOverheadAcrossWorkersAndWithinOne() throws Exception {
    try (TestCluster cluster = new TestCluster("w1", "w2")) {
      double across = microsPerHop(cluster, "across", i -> i % 2 == 0 ? "w1" : "w2");
      double within = microsPerHop(cluster, "within", i -> "w1");
      System.out.printf(
          "hop overhead (%d-node java no-op chain, mean of %d runs after %d warm-up):"
              + " across two workers over gRPC loopback %.1f us/hop;"
              + " within one worker %.1f us/hop%n",
          NODES, RUNS, WARMUP, across, within);
    }
  }

  private static double microsPerHop(
      TestCluster cluster, String name, java.util.function.IntFunction<String> worker)
      throws Exception {
    double longRun = meanMicros(cluster, deploy(cluster, name, NODES, worker));
    double shortRun = meanMicros(cluster, deploy(cluster, name + "-short", 2, worker));
    return (longRun - shortRun) / (NODES - 2);
  }

  private static WorkflowKey deploy(
      TestCluster cluster, String name, int nodes, java.util.function.IntFunction<String> worker) {
    Map<String, String> placement = new LinkedHashMap<>();
    for (int i = 0; i < nodes; i++) {
      placement.put("n" + i, worker.apply(i));
    }
    return cluster.deploy(name + ".yaml", Workflows.noopChain(name, nodes), placement);
  }

  private static double meanMicros(TestCluster cluster, WorkflowKey key) throws Exception {
    long total = 0;
    for (int r = 0; r < WARMUP + RUNS; r++) {
      long t0 = System.nanoTime();
      var out =
          cluster.start(key.name() + "-" + r, key, IntNode.valueOf(r)).get(60, TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
      if (r >= WARMUP) {
        total += t;
      }
    }
    return total / 1000.0 / RUNS;
  }
}

package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three workers over real gRPC on loopback: WorkerSP hops travel on the peer streams. */
@IntegrationTest // workers over gRPC on loopback
class WorkerClusterTest {
  private TestCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static InstanceCompletion.Outcome await(CompletableFuture<InstanceCompletion.Outcome> f)
      throws Exception {
    return f.get(TestCluster.timeout().toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aChainHopsFromWorkerToWorker() throws Exception {
    cluster = new TestCluster("w1", "w2", "w3");
    WorkflowKey key =
        cluster.deploy("chain.yaml", Workflows.CHAIN, Map.of("a", "w1", "b", "w2", "c", "w3"));
    var out = await(cluster.start("i1", key, IntNode.valueOf(1)));
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(4);
    assertThat(out.crossWorkerEvents()).isEqualTo(2);
    assertThat(out.workersUsed()).containsExactlyInAnyOrder("w1", "w2", "w3");
    assertThat(cluster.workers.get("w2").server().eventsReceived()).isEqualTo(1);
    assertThat(cluster.workers.get("w3").server().eventsReceived()).isEqualTo(1);
    org.awaitility.Awaitility.await()
        .untilAsserted(() -> assertThat(cluster.peerCounters().acked()).isEqualTo(2));
    assertThat(cluster.peerCounters().sent()).isEqualTo(2);
  }

  @Test
  void aFanOutAndFanInSpreadOverThreeWorkers() throws Exception {
    cluster = new TestCluster("w1", "w2", "w3");
    int n = 12;
    Map<String, String> placement = new LinkedHashMap<>();
    placement.put("src", "w1");
    for (int i = 0; i < n; i++) {
      placement.put("m" + i, "w" + (1 + i % 3));
    }
    placement.put("join", "w3");
    WorkflowKey key = cluster.deploy("fan.yaml", Workflows.fan(n), placement);
    List<CompletableFuture<InstanceCompletion.Outcome>> runs = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      runs.add(cluster.start("fan-" + r, key, IntNode.valueOf(r)));
    }
    for (int r = 0; r < runs.size(); r++) {
      var out = await(runs.get(r));
      assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
      assertThat(out.output().asInt()).isEqualTo(n * (r + 1));
      assertThat(out.invocations()).isEqualTo(n + 1);
    }
    // per instance: src -> 8 remote m's, and 8 remote m's -> join (m on w3 is local to join)
    assertThat(cluster.peerCounters().sent()).isEqualTo(20L * 16);
  }

  @Test
  void aPeerServerRestartedMidRunLosesNoEvent() throws Exception {
    cluster = new TestCluster("w1", "w2");
    int hops = 40;
    Map<String, String> placement = new LinkedHashMap<>();
    for (int i = 0; i < hops; i++) {
      placement.put("n" + i, i % 2 == 0 ? "w1" : "w2");
    }
    WorkflowKey key = cluster.deploy("long.yaml", Workflows.noopChain("long", hops), placement);
    List<CompletableFuture<InstanceCompletion.Outcome>> runs = new ArrayList<>();
    for (int r = 0; r < 100; r++) {
      runs.add(cluster.start("r" + r, key, IntNode.valueOf(r)));
      if (r == 50) {
        WorkerNode w2 = cluster.workers.get("w2");
        w2.stopServer();
        w2.startServer();
      }
    }
    for (var run : runs) {
      assertThat(await(run).state()).isEqualTo(InstanceState.COMPLETED);
    }
    PeerCounters c = cluster.peerCounters();
    assertThat(c.reconnects()).isPositive();
    assertThat(c.sent()).isEqualTo(100L * (hops - 1));
    org.awaitility.Awaitility.await()
        .untilAsserted(() -> assertThat(cluster.peerCounters().unacked()).isZero());
  }
}

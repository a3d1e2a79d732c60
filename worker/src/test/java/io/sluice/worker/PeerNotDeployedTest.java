package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.testing.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An edge event that reaches a worker before the workflow is deployed there is refused for now, not
 * dropped: its sender keeps it and sends it again, and once the deployment arrives the instance
 * completes. (It used to be logged, counted and acked: lost, and the instance hung.)
 */
@IntegrationTest // workers over gRPC on loopback
class PeerNotDeployedTest {
  @Test
  void anEdgeForAWorkflowNotDeployedYetIsKeptBySenderAndDeliveredLater() throws Exception {
    try (TestCluster cluster = new TestCluster("w1", "w2")) {
      Map<String, String> placement = Map.of("a", "w1", "b", "w2", "c", "w2");
      WorkflowKey key = cluster.deployOn(List.of("w1"), "chain.yaml", Workflows.CHAIN, placement);
      var run = cluster.expect("late1", key, IntNode.valueOf(1));
      cluster.startOn("w1", "late1", key, IntNode.valueOf(1));
      WorkerServer w2 = cluster.workers.get("w2").server();
      Awaitility.await().until(() -> w2.eventsDeferred() >= 2); // refused twice: it is being resent
      assertThat(cluster.workers.get("w1").peers().counters().unacked()).isEqualTo(1);

      cluster.deployOn(List.of("w2"), "chain.yaml", Workflows.CHAIN, placement);
      cluster.startOn("w2", "late1", key, IntNode.valueOf(1));
      var out = run.get(30, TimeUnit.SECONDS);
      assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
      assertThat(out.output().asInt()).isEqualTo(4);
      assertThat(w2.eventsRejected()).isZero();
      Awaitility.await().until(() -> cluster.workers.get("w1").peers().counters().unacked() == 0);
    }
  }
}

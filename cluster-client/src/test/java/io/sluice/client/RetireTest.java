package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.master.ExecutionMode;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.testing.IntegrationTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retiring a workflow version on a durable master: new instances are refused naming the version and
 * the undo, a running one finishes, the listing tells retired versions apart, and a restarted
 * master (same journal) still refuses until the retirement is undone.
 */
@IntegrationTest
class RetireTest {
  private DurableCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String version(String v) {
    return RedriveTest.CHAIN3.replace("version: \"1\"", "version: \"" + v + "\"");
  }

  private InstanceRun start(WorkflowKey key, String id) {
    return cluster
        .master()
        .invoke(
            key,
            DurableCluster.JSON.createObjectNode().put("path", "0:"),
            ExecutionMode.WORKER,
            null,
            id);
  }

  @Test
  void aRetiredVersionRefusesNewInstancesAcrossAMasterRestart() throws Exception {
    cluster = new DurableCluster(new MemoryJournal(), 300);
    WorkflowKey v1 =
        cluster.master().registerWorkflow("c.yaml", version("1"), "", "", "").workflow().key();
    WorkflowKey v2 =
        cluster.master().registerWorkflow("c.yaml", version("2"), "", "", "").workflow().key();
    InstanceRun running = start(v1, "before");
    cluster.master().retire(v1, true);
    assertThat(cluster.master().runningInstances(v1)).isEqualTo(1);

    assertThatThrownBy(() -> start(v1, "after"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("workflow redrive-chain@1 is retired")
        .hasMessageContaining("sluice retire redrive-chain@1 --undo");
    assertThat(start(v2, "other").done().get(30, TimeUnit.SECONDS).state())
        .isEqualTo(InstanceState.COMPLETED);
    assertThat(running.done().get(30, TimeUnit.SECONDS).state())
        .as("a running instance of a retired version finishes")
        .isEqualTo(InstanceState.COMPLETED);

    assertThat(cluster.master().workflows("redrive", true, true))
        .extracting(RegisteredWorkflow::key)
        .containsExactly(v1, v2);
    assertThat(cluster.master().workflows("redrive", true, false))
        .extracting(RegisteredWorkflow::key)
        .containsExactly(v2);
    assertThat(cluster.master().workflows("redrive", false, false))
        .extracting(RegisteredWorkflow::key)
        .containsExactly(v2);

    cluster.restartMaster();
    assertThat(cluster.master().retired(v1)).as("kept in the journal").isTrue();
    assertThatThrownBy(() -> start(v1, "after-restart")).hasMessageContaining("is retired");

    cluster.master().retire(v1, false);
    org.awaitility.Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> cluster.master().membership().live().size() == 3);
    assertThat(start(v1, "undone").done().get(30, TimeUnit.SECONDS).state())
        .isEqualTo(InstanceState.COMPLETED);
    cluster.restartMaster();
    assertThat(cluster.master().retired(v1)).isFalse();
  }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.master.ExecutionMode;
import io.sluice.master.Redrives;
import io.sluice.master.instance.InstanceReport;
import io.sluice.runtime.CallKey;
import io.sluice.testing.IntegrationTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redrive on a durable cluster in one JVM (master and three workers over gRPC, the in-memory
 * journal standing in for Redis): a -> b -> c where b fails; once redriven, a is not called again,
 * b and c run, and the instance succeeds under the same id. Redrive refuses what it cannot do.
 */
@IntegrationTest
class RedriveTest {
  static final String CHAIN3 =
      """
      sluice: "1.0"
      name: redrive-chain
      version: "1"
      functions:
        step: {runtime: java, async: true}
      nodes:
        - {id: a, type: task, function: step, next: b}
        - {id: b, type: task, function: step, next: c}
        - {id: c, type: task, function: step}
      """;

  private DurableCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private InstanceReport run(String id) throws Exception {
    var reg = cluster.master().registerWorkflow("chain3.yaml", CHAIN3, "", "", "");
    return cluster
        .master()
        .invoke(
            reg.workflow().key(),
            DurableCluster.JSON.createObjectNode().put("path", "0:"),
            ExecutionMode.WORKER,
            null,
            id)
        .done()
        .get(30, TimeUnit.SECONDS);
  }

  private int calls(String id, String node, int attempt) {
    List<Long> starts = cluster.callStarts.get(CallKey.of(id, node, attempt).idempotencyKey());
    return starts == null ? 0 : starts.size();
  }

  @Test
  void aFailedInstanceRunsAgainFromItsFailedNode() throws Exception {
    cluster = new DurableCluster(new MemoryJournal(), 5);
    cluster.failing.add("b");
    InstanceReport failed = run("redrive-1");
    assertThat(failed.state()).as(failed.toString()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.error().message()).contains("node b fails");
    assertThat(calls("redrive-1", "a", 1)).isEqualTo(1);
    assertThat(calls("redrive-1", "c", 1)).isZero();

    cluster.failing.clear();
    Redrives.Result r = cluster.master().redrive("redrive-1");
    assertThat(r.nodesKept()).isEqualTo(1);
    assertThat(r.nodesRerun()).isEqualTo(2);
    InstanceReport done = cluster.master().instance("redrive-1").done().get(30, TimeUnit.SECONDS);

    assertThat(done.state()).as(done.toString()).isEqualTo(InstanceState.COMPLETED);
    assertThat(done.instanceId()).isEqualTo("redrive-1");
    assertThat(done.output().toString()).contains("0:abc");
    assertThat(calls("redrive-1", "a", 1)).as("a is answered from the journal").isEqualTo(1);
    assertThat(calls("redrive-1", "b", 1)).as("b failed once, then ran again").isEqualTo(2);
    assertThat(calls("redrive-1", "c", 1)).isEqualTo(1);

    // a succeeded instance has nothing to redrive
    assertThatThrownBy(() -> cluster.master().redrive("redrive-1"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("redrive-1 is succeeded: nothing to redrive");
  }

  /** A cancelled instance redriven at once: its parts still winding down are awaited first. */
  @Test
  void aCancelledInstanceIsRedrivenFromWhereItStopped() throws Exception {
    cluster = new DurableCluster(new MemoryJournal(), 400);
    var reg = cluster.master().registerWorkflow("chain3.yaml", CHAIN3, "", "", "");
    var run =
        cluster
            .master()
            .invoke(
                reg.workflow().key(),
                DurableCluster.JSON.createObjectNode().put("path", "0:"),
                ExecutionMode.WORKER,
                null,
                "redrive-3");
    org.awaitility.Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> calls("redrive-3", "b", 1) == 1); // a completed, b runs
    cluster.master().cancel("redrive-3", "test");
    assertThat(run.done().get(30, TimeUnit.SECONDS).state()).isEqualTo(InstanceState.CANCELLED);

    Redrives.Result r = cluster.master().redrive("redrive-3");
    assertThat(r.nodesKept()).isBetween(1, 2); // b's cancelled call may have recorded its outcome
    InstanceReport done = cluster.master().instance("redrive-3").done().get(30, TimeUnit.SECONDS);
    assertThat(done.state()).as(done.toString()).isEqualTo(InstanceState.COMPLETED);
    assertThat(done.output().toString()).contains("0:abc");
    assertThat(calls("redrive-3", "a", 1)).isEqualTo(1);
    assertThat(calls("redrive-3", "c", 1)).isEqualTo(1);
  }

  /** An instance that failed before the master restarted is redriven from the journal alone. */
  @Test
  void aRestartedMasterRedrivesFromTheJournal() throws Exception {
    cluster = new DurableCluster(new MemoryJournal(), 5);
    cluster.failing.add("c");
    assertThat(run("redrive-2").state()).isEqualTo(InstanceState.FAILED);
    cluster.failing.clear();
    cluster.restartMaster();
    org.awaitility.Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> cluster.master().membership().live().size() == 3);

    Redrives.Result r = cluster.master().redrive("redrive-2");
    assertThat(r.nodesKept()).isEqualTo(2);
    InstanceReport done = cluster.master().instance("redrive-2").done().get(30, TimeUnit.SECONDS);
    assertThat(done.state()).as(done.toString()).isEqualTo(InstanceState.COMPLETED);
    assertThat(done.output().toString()).contains("0:abc");
    assertThat(calls("redrive-2", "a", 1)).isEqualTo(1);
    assertThat(calls("redrive-2", "b", 1)).isEqualTo(1);
    assertThat(calls("redrive-2", "c", 1)).isEqualTo(2);
  }

  @Test
  void aRunningOrUnknownInstanceIsNotRedriven() throws Exception {
    cluster = new DurableCluster(new MemoryJournal(), 2_000);
    var reg = cluster.master().registerWorkflow("chain3.yaml", CHAIN3, "", "", "");
    var running =
        cluster
            .master()
            .invoke(
                reg.workflow().key(),
                DurableCluster.JSON.createObjectNode().put("path", "0:"),
                ExecutionMode.WORKER,
                null,
                "busy");
    assertThatThrownBy(() -> cluster.master().redrive("busy"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("instance busy is running");
    assertThatThrownBy(() -> cluster.master().redrive("nobody"))
        .hasMessageContaining("no instance nobody");
    cluster.master().cancel(running.id(), "test");
  }

  @Test
  void withoutDurabilityRedriveIsRefusedSayingWhatItNeeds() throws Exception {
    cluster = new DurableCluster(Journal.NONE, 5);
    cluster.failing.add("b");
    assertThat(run("plain-1").state()).isEqualTo(InstanceState.FAILED);
    assertThatThrownBy(() -> cluster.master().redrive("plain-1"))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("durability: redis");
  }
}

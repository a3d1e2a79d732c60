package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.durable.CallOutcome;
import io.sluice.cluster.durable.ForwardingJournal;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.instance.WorkerSpRun;
import io.sluice.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A durable cluster in one JVM (master and three workers over gRPC on loopback, the in-memory
 * journal standing in for Redis): a worker that dies mid-instance has its parts moved to the live
 * workers, a master that restarts takes its instances up again, every instance completes with the
 * output it would have had, and no call whose outcome was recorded is made again.
 */
@IntegrationTest
class DurableRecoveryTest {
  private final RecordingJournal journal = new RecordingJournal();
  private DurableCluster cluster;

  /** The in-memory journal, remembering when each call's outcome was first recorded. */
  static final class RecordingJournal extends ForwardingJournal {
    final MemoryJournal inner;
    final Map<String, Long> recordedAt = new ConcurrentHashMap<>();

    RecordingJournal() {
      this(new MemoryJournal());
    }

    private RecordingJournal(MemoryJournal inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    public CompletionStage<CallOutcome> called(String id, String key, CallOutcome outcome) {
      recordedAt.putIfAbsent(key, System.nanoTime());
      return super.called(id, key, outcome);
    }
  }

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aWorkerThatDiesMidInstanceLosesNothing() throws Exception {
    cluster = new DurableCluster(journal, 40);
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    assertThat(new TreeSet<>(reg.placement().workers().values())).hasSize(3);
    String victim = reg.placement().workers().get("d");

    List<InstanceRun> started = cluster.start(reg.workflow().key(), "durable-", 30);
    awaitCalls(60);
    cluster.kill(victim);

    for (int i = 0; i < started.size(); i++) {
      InstanceReport r = started.get(i).done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.output().toString()).as(r.toString()).contains(i + ":abcdefgh");
    }
    // No call whose outcome was recorded was started again afterwards.
    List<String> repeated = new ArrayList<>();
    int rerun = 0;
    for (var e : cluster.callStarts.entrySet()) {
      Long recorded = journal.recordedAt.get(e.getKey());
      for (long start : e.getValue()) {
        if (recorded != null && start > recorded) {
          repeated.add(e.getKey());
        }
      }
      rerun += e.getValue().size() - 1;
    }
    assertThat(repeated).as("calls made again after their outcome was recorded").isEmpty();
    int moved = 0;
    for (InstanceRun r : started) {
      moved += ((WorkerSpRun) r).partsMoved();
    }
    assertThat(moved).as("parts moved from the dead worker").isPositive();
    System.out.printf(
        "durable recovery: 30 instances, victim %s, %d parts moved, %d calls, %d started again"
            + " (running when it died), %d outcomes offered twice%n",
        victim, moved, cluster.callStarts.size(), rerun, journal.inner.duplicateCalls());
  }

  /**
   * The master stops mid-instance and a new one starts on its address with the same journal: it
   * reads the workflows and running instances back, the workers register again, and every instance
   * completes; ends reported while no master listened are read from the journal.
   */
  @Test
  void aMasterThatRestartsMidInstanceLosesNothing() throws Exception {
    cluster = new DurableCluster(journal, 40);
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    List<String> ids = new ArrayList<>();
    cluster.start(reg.workflow().key(), "restart-", 30).forEach(r -> ids.add(r.id()));
    awaitCalls(60);
    cluster.restartMaster();

    for (int i = 0; i < ids.size(); i++) {
      InstanceReport r = cluster.master().instance(ids.get(i)).done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.output().toString()).as(r.toString()).contains(i + ":abcdefgh");
    }
    assertThat(journal.inner.running().toCompletableFuture().get()).isEmpty();
    // a client that retries its Invoke with the same id gets the taken-up instance, answered at
    // once
    assertThat(
            cluster
                .master()
                .invoke(
                    reg.workflow().key(),
                    DurableCluster.JSON.createObjectNode().put("path", "0:"),
                    io.sluice.master.ExecutionMode.WORKER,
                    null,
                    ids.get(0))
                .recorded())
        .isDone();
  }

  /** The same death without durability fails the instances that had nodes there: the contrast. */
  @Test
  void withoutDurabilityTheSameDeathFailsInstances() throws Exception {
    cluster = new DurableCluster(Journal.NONE, 40);
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    String victim = reg.placement().workers().get("d");
    List<InstanceRun> started = cluster.start(reg.workflow().key(), "plain-", 30);
    awaitCalls(60);
    cluster.kill(victim);
    int failed = 0;
    for (InstanceRun r : started) {
      InstanceReport report = r.done().get(60, TimeUnit.SECONDS);
      if (report.state() == InstanceState.FAILED) {
        assertThat(report.error().type()).isEqualTo("WorkerLost");
        failed++;
      }
    }
    assertThat(failed).isPositive();
  }

  /**
   * A worker that joined after the deployment holds none of it (deployments are sent again only
   * when an instance starts); when it is chosen to take over a dead worker's part, the master sends
   * it the deployment first instead of failing the instance (AdoptPart answers NOT_FOUND).
   */
  @Test
  void aPartMovesToAWorkerThatJoinedAfterTheDeployment() throws Exception {
    cluster = new DurableCluster(journal, 40);
    var reg = cluster.master().registerWorkflow("chain.yaml", DurableCluster.CHAIN, "", "", "");
    String victim = reg.placement().workers().get("d");
    List<InstanceRun> started = cluster.start(reg.workflow().key(), "joined-", 30);
    awaitCalls(60);
    cluster.startWorker("w4");
    cluster.kill(victim);

    int onNewcomer = 0;
    for (int i = 0; i < started.size(); i++) {
      InstanceReport r = started.get(i).done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.output().toString()).as(r.toString()).contains(i + ":abcdefgh");
      if (((WorkerSpRun) started.get(i)).currentHolders().contains("w4")) {
        onNewcomer++;
      }
    }
    // Heirs are spread by a hash of instance and part over w4 and the two other live workers.
    assertThat(onNewcomer).as("instances with a part moved to the newcomer w4").isPositive();
  }

  /** A fan-out of twelve whose middle spreads over every worker, joined twice. */
  static final String FAN =
      """
      sluice: "1.0"
      name: durable-fan
      version: "1"
      functions:
        step: {runtime: java, async: true}
      nodes:
        - {id: split, type: task, function: step, next: [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11]}
        - {id: m0, type: task, function: step, next: [j0, j3]}
        - {id: m1, type: task, function: step, next: [j0, j3]}
        - {id: m2, type: task, function: step, next: [j0, j3]}
        - {id: m3, type: task, function: step, next: [j0, j3]}
        - {id: m4, type: task, function: step, next: [j0, j3]}
        - {id: m5, type: task, function: step, next: [j0, j3]}
        - {id: m6, type: task, function: step, next: [j0, j3]}
        - {id: m7, type: task, function: step, next: [j0, j3]}
        - {id: m8, type: task, function: step, next: [j0, j3]}
        - {id: m9, type: task, function: step, next: [j0, j3]}
        - {id: m10, type: task, function: step, next: [j0, j3]}
        - {id: m11, type: task, function: step, next: [j0, j3]}
        - {id: j0, type: task, function: step}
        - {id: j3, type: task, function: step}
      """;

  /**
   * A worker holding part of a fan-out's middle (not its source, not its joins) dies right after
   * the instances start, while its incoming edges may still be unacknowledged: its heir runs those
   * nodes and their edges reach the joins on the third worker (chaos instance 924's path).
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "killed after {0} calls started")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 30, 60})
  void aFanOutsMiddleMovesAndItsEdgesReachTheJoins(int callsBeforeKill) throws Exception {
    cluster = new DurableCluster(journal, 40);
    var reg = cluster.master().registerWorkflow("fan.yaml", FAN, "", "", "");
    Map<String, String> at = reg.placement().workers();
    String victim = null;
    for (String w : List.of("w1", "w2", "w3")) {
      if (!w.equals(at.get("split"))
          && !w.equals(at.get("j0"))
          && !w.equals(at.get("j3"))
          && at.containsValue(w)) {
        victim = w;
      }
    }
    assertThat(victim).as("a worker with middle nodes only, placement " + at).isNotNull();
    List<InstanceRun> started = cluster.start(reg.workflow().key(), "fan-", 30);
    awaitCalls(callsBeforeKill);
    cluster.kill(victim);
    for (InstanceRun run : started) {
      InstanceReport r = run.done().get(60, TimeUnit.SECONDS);
      assertThat(r.state()).as(r.toString()).isEqualTo(InstanceState.COMPLETED);
    }
  }

  private void awaitCalls(int n) {
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> cluster.callStarts.size() >= n);
  }
}

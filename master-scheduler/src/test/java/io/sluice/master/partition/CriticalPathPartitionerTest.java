package io.sluice.master.partition;

import static io.sluice.master.partition.Graphs.chain;
import static io.sluice.master.partition.Graphs.graph;
import static io.sluice.master.partition.Graphs.task;
import static io.sluice.master.partition.Graphs.workers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.Edge;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CriticalPathPartitionerTest {
  private static final long GB = 1L << 30;
  private final Partitioner partitioner = Partitioner.criticalPath();
  private final PartitionOptions opts = PartitionOptions.DEFAULTS;

  @Test
  void sameInputGivesTheSamePlacementWhateverTheWorkerOrder() {
    WorkflowGraph g = FaasflowGraphs.read("genome");
    List<WorkerCapacity> workers =
        List.of(
            new WorkerCapacity("w3", 12, GB),
            new WorkerCapacity("w1", 20, GB),
            new WorkerCapacity("w2", 20, 2 * GB));
    Placement first = partitioner.partition(g, workers, opts);

    List<WorkerCapacity> shuffled = new ArrayList<>(workers);
    Collections.shuffle(shuffled, new Random(42));

    assertThat(partitioner.partition(g, workers, opts)).isEqualTo(first);
    assertThat(partitioner.partition(g, shuffled, opts)).isEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"genome", "cycles", "soykb", "epigenomics", "genome-scal-100", "video"})
  void respectsEveryWorkersFreeSlots(String workflow) {
    WorkflowGraph g = FaasflowGraphs.read(workflow);
    int slots = g.nodes().size() / 3 + 1;
    List<WorkerCapacity> workers = workers(3, slots, 10 * GB);

    Placement p = partitioner.partition(g, workers, opts);

    assertThat(p.workers()).containsOnlyKeys(g.nodes().keySet());
    assertThat(p.nodesPerWorker().values())
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(slots));
  }

  @Test
  void aChainWithHeavyEdgesLandsOnOneWorkerWhenItFits() {
    WorkflowGraph g = chain(6, 50_000_000);

    Placement p = partitioner.partition(g, workers(3, 8, 10 * GB), opts);

    assertThat(Set.copyOf(p.workers().values())).hasSize(1);
    assertThat(p.crossWorkerEdges()).isZero();
    assertThat(p.crossWorkerBytes()).isZero();
  }

  @Test
  void aChainTooLongForOneWorkerIsCutAsFewTimesAsPossible() {
    WorkflowGraph g = chain(10, 1_000_000);

    Placement p = partitioner.partition(g, workers(3, 4, 10 * GB), opts);

    assertThat(p.nodesPerWorker()).hasSize(3);
    assertThat(p.nodesPerWorker().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
    assertThat(p.crossWorkerEdges()).isEqualTo(2);
  }

  @Test
  void theGroupSizeCapSplitsAGroupThatWouldFitOneWorker() {
    Placement p =
        partitioner.partition(chain(6, 1_000), workers(3, 8, GB), opts.withGroupSizeCap(3));

    assertThat(p.crossWorkerEdges()).isEqualTo(1);
  }

  @Test
  void aCapTooSmallForTheGraphSharesTheOverflowRatherThanPilingItOnOneWorker() {
    Placement p =
        partitioner.partition(chain(10, 1_000), workers(2, 8, GB), opts.withGroupSizeCap(2));

    assertThat(p.nodesPerWorker().values()).containsExactly(5, 5);
  }

  @Test
  void outputsThatDoNotFitAWorkersMemoryAreNotGroupedTogether() {
    long big = 600_000_000;
    WorkflowGraph g = chain(2, big);

    Placement p = partitioner.partition(g, workers(2, 10, 1_000_000_000), opts);

    assertThat(p.workerOf("n0")).isNotEqualTo(p.workerOf("n1"));
  }

  @Test
  void heavierEdgesStayLocalBeforeLighterOnes() {
    // a feeds b 100 MB and c 1 KB; a worker has room for two of the three.
    WorkflowGraph g =
        graph(
            List.of(task("a", 0), task("b", 0), task("c", 0)),
            List.of(
                new Edge("a", "c", Edge.Kind.NEXT, 1_000),
                new Edge("a", "b", Edge.Kind.NEXT, 100_000_000)));

    Placement p = partitioner.partition(g, workers(2, 2, GB), opts);

    assertThat(p.workerOf("a")).isEqualTo(p.workerOf("b")).isNotEqualTo(p.workerOf("c"));
    assertThat(p.crossWorkerBytes()).isEqualTo(1_000);
  }

  @Test
  void mapIterationsMaySpreadOverEveryWorkerWithAFreeSlot() {
    WorkflowGraph g =
        graph(
            List.of(task("split", 1000), Graphs.map("fanout"), task("merge", 10)),
            List.of(Edge.next("split", "fanout"), Edge.next("fanout", "merge")));
    List<WorkerCapacity> workers =
        List.of(
            new WorkerCapacity("w1", 4, GB),
            new WorkerCapacity("w2", 16, GB),
            new WorkerCapacity("w3", 0, GB),
            new WorkerCapacity("w4", 8, GB));

    Placement p = partitioner.partition(g, workers, opts);

    String own = p.workerOf("fanout");
    List<String> others =
        List.of("w2", "w4", "w1").stream().filter(w -> !w.equals(own)).collect(Collectors.toList());
    List<String> expected = new ArrayList<>(List.of(own));
    expected.addAll(others);
    assertThat(p.mapWorkers()).containsOnlyKeys("fanout");
    assertThat(p.mapWorkers().get("fanout")).isEqualTo(expected);
  }

  @Test
  void moreNodesThanSlotsShareTheClusterInProportionToSlots() {
    WorkflowGraph g = chain(30, 1_000);
    List<WorkerCapacity> workers =
        List.of(new WorkerCapacity("w1", 1, GB), new WorkerCapacity("w2", 2, GB));

    Placement p = partitioner.partition(g, workers, opts);

    assertThat(p.nodesPerWorker().get("w1")).isLessThanOrEqualTo(10);
    assertThat(p.nodesPerWorker().get("w2")).isLessThanOrEqualTo(20);
    assertThat(p.crossWorkerEdges()).isEqualTo(1);
  }

  @Test
  void repartitionKeepsNodesOnLiveWorkersAndMovesTheRest() {
    WorkflowGraph g = FaasflowGraphs.read("genome");
    int slots = g.nodes().size() / 3 + 1;
    Placement before = partitioner.partition(g, workers(3, slots, 10 * GB), opts);
    List<WorkerCapacity> survivors = workers(3, slots * 2, 10 * GB).subList(0, 2);

    Placement after = partitioner.repartition(before, g, survivors, opts);

    assertThat(Set.copyOf(after.workers().values())).isSubsetOf("w1", "w2");
    before
        .workers()
        .forEach(
            (node, worker) -> {
              if (!worker.equals("w3")) {
                assertThat(after.workerOf(node)).as(node).isEqualTo(worker);
              }
            });
  }

  @Test
  void noWorkersIsAClearError() {
    assertThatThrownBy(() -> partitioner.partition(chain(2, 1), List.of(), opts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no workers");
  }

  @Test
  void aWorkerListedTwiceIsAClearError() {
    List<WorkerCapacity> twice =
        List.of(new WorkerCapacity("w1", 1, 1), new WorkerCapacity("w1", 2, 2));
    assertThatThrownBy(() -> partitioner.partition(chain(2, 1), twice, opts))
        .hasMessageContaining("w1 is listed twice");
  }

  @Test
  void partitionsATenThousandNodeGraph() {
    WorkflowGraph g = LayeredDags.generate(10_000, 100, 7);
    List<WorkerCapacity> workers = workers(8, 2_000, 4 * GB);
    partitioner.partition(g, workers, opts); // warm-up

    long start = System.nanoTime();
    Placement p = partitioner.partition(g, workers, opts);
    long micros = (System.nanoTime() - start) / 1_000;
    Placement hash = Partitioner.hash().partition(g, workers, opts);

    System.out.printf(
        "critical-path partition of %d nodes / %d edges on 8 workers: %d ms;"
            + " cross-worker bytes %d (hash: %d)%n",
        g.nodes().size(),
        g.edges().size(),
        micros / 1000,
        p.crossWorkerBytes(),
        hash.crossWorkerBytes());
    assertThat(p.workers()).hasSize(10_000);
    assertThat(p.nodesPerWorker().values())
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2_000));
    assertThat(p.crossWorkerBytes()).isLessThan(hash.crossWorkerBytes());
  }
}

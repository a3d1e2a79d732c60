package io.sluice.master.partition;

import static io.sluice.master.partition.Graphs.graph;
import static io.sluice.master.partition.Graphs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintRefinerTest {

  @Test
  void hintsComeFromAHighPercentileOfRecentSamples() {
    HintRefiner refiner = new HintRefiner(10, 90);
    for (int i = 1; i <= 20; i++) { // only the last 10 (11..20) count
      refiner.observeComputeTime("a", Duration.ofMillis(i * 10L));
      refiner.observeOutputBytes("a", i * 1_000L);
    }

    Hints h = refiner.refine("a", Hints.NONE.withMemoryBytes(7));

    assertThat(h.outputBytes()).isBetween(19_000L, 20_000L);
    assertThat(h.computeTime()).isBetween(Duration.ofMillis(190), Duration.ofMillis(200));
    assertThat(h.memoryBytes()).isEqualTo(7);
    assertThat(refiner.refine("unseen", Hints.NONE)).isEqualTo(Hints.NONE);
  }

  @Test
  void observedSizesChangeThePlacement() {
    // x -> y and z -> w; only one pair fits a worker together. Declared: x's output is heavier.
    WorkflowGraph declared =
        graph(
            List.of(task("x", 1_000_000), task("y", 0), task("z", 1_000), task("w", 0)),
            List.of(Edge.next("x", "y"), Edge.next("z", "w")));
    List<WorkerCapacity> workers =
        List.of(
            new WorkerCapacity("w1", 2, 1L << 32),
            new WorkerCapacity("w2", 1, 1L << 32),
            new WorkerCapacity("w3", 1, 1L << 32));
    Partitioner cp = Partitioner.criticalPath();
    Placement stale = cp.partition(declared, workers, PartitionOptions.DEFAULTS);
    assertThat(stale.workerOf("x")).isEqualTo(stale.workerOf("y"));

    HintRefiner refiner = new HintRefiner();
    for (int i = 0; i < 5; i++) {
      refiner.observeOutputBytes("z", 100_000_000);
      refiner.observeOutputBytes("x", 1_000);
    }
    WorkflowGraph refined = refiner.refine(declared);
    Placement fresh = cp.partition(refined, workers, PartitionOptions.DEFAULTS);

    assertThat(fresh.workerOf("z")).isEqualTo(fresh.workerOf("w"));
    Placement staleOnRefined = Placement.of("stale", refined, stale.workers(), stale.mapWorkers());
    assertThat(fresh.crossWorkerBytes()).isLessThan(staleOnRefined.crossWorkerBytes());
  }

  @Test
  void edgeHintsScaleWithTheirProducersObservedOutput() {
    WorkflowGraph g =
        graph(
            List.of(task("a", 1_000), task("b", 0)),
            List.of(new Edge("a", "b", Edge.Kind.NEXT, 500)));
    HintRefiner refiner = new HintRefiner();
    refiner.observeOutputBytes("a", 4_000);

    WorkflowGraph refined = refiner.refine(g);

    assertThat(refined.edges()).containsExactly(new Edge("a", "b", Edge.Kind.NEXT, 2_000));
    assertThat(refined.node("a").options().hints().outputBytes()).isEqualTo(4_000);
  }
}

package io.sluice.master.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.WorkflowGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashPartitionerTest {

  @Test
  void placesEachNodeByTheHashOfItsIdOverWorkersSortedById() {
    WorkflowGraph g = Graphs.chain(20, 10);
    List<WorkerCapacity> workers =
        List.of(
            new WorkerCapacity("w2", 1, 1),
            new WorkerCapacity("w3", 1, 1),
            new WorkerCapacity("w1", 1, 1));

    Placement p = Partitioner.hash().partition(g, workers, PartitionOptions.DEFAULTS);

    List<String> sorted = List.of("w1", "w2", "w3");
    g.nodes()
        .keySet()
        .forEach(
            id ->
                assertThat(p.workerOf(id)).isEqualTo(sorted.get(Math.floorMod(id.hashCode(), 3))));
    assertThat(p.partitioner()).isEqualTo("hash");
    assertThat(Partitioner.named("hash").partition(g, workers, PartitionOptions.DEFAULTS))
        .isEqualTo(p);
  }
}

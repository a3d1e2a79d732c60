package io.sluice.master.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.WorkflowGraph;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The critical-path partitioner never moves more bytes across workers than the hash baseline. */
class PartitionQualityTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wordcount", "fileprocessing", "video", "illgal_recognizer", "cycles", "epigenomics",
        "genome", "soykb", "genome-scal-10", "genome-scal-25", "genome-scal-100", "genome-scal-200"
      })
  void criticalPathMovesNoMoreBytesThanHash(String workflow) {
    WorkflowGraph g = FaasflowGraphs.read(workflow);
    List<WorkerCapacity> workers = Graphs.workers(3, g.nodes().size() / 2 + 1, 1L << 32);

    Placement cp = Partitioner.criticalPath().partition(g, workers, PartitionOptions.DEFAULTS);
    Placement hash = Partitioner.hash().partition(g, workers, PartitionOptions.DEFAULTS);

    System.out.printf(
        "%-18s nodes %4d  cross-worker bytes: critical-path %,14d  hash %,14d%n",
        workflow, g.nodes().size(), cp.crossWorkerBytes(), hash.crossWorkerBytes());
    assertThat(cp.crossWorkerBytes()).isLessThanOrEqualTo(hash.crossWorkerBytes());
  }
}

package io.sluice.bench;

import io.sluice.master.partition.FaasflowGraphs;
import io.sluice.master.partition.LayeredDags;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * The graphs the partitioner is measured on, by name: {@code layered-N} (a seeded random layered
 * DAG of N nodes, 1..3 inputs per node), a FaaSFlow workflow folder under the corpus, or a
 * WfCommons trace file under it (system property {@code sluice.corpus}, default {@code corpus}, the
 * repository's corpus when run from the repository root).
 */
final class BenchGraphs {
  static final List<String> NAMES =
      List.of(
          "layered-100",
          "layered-1000",
          "layered-10000",
          "genome-scal-10",
          "genome-scal-25",
          "genome-scal-100",
          "genome-scal-200",
          "wfcommons/raw/montage-chameleon-2mass-01d-001.json",
          "wfcommons/raw/cycles-chameleon-2l-1c-9p-001.json",
          "wfcommons/raw/seismology-chameleon-100p-001.json",
          "wfcommons/raw/epigenomics-chameleon-hep-1seq-100k-001.json",
          "wfcommons/raw/blast-chameleon-small-001.json");
  static final int WORKERS = 8;

  private BenchGraphs() {}

  static WorkflowGraph graph(String name) {
    if (name.startsWith("layered-")) {
      int n = Integer.parseInt(name.substring("layered-".length()));
      return LayeredDags.generate(n, Math.max(10, (int) Math.sqrt(n)), 7);
    }
    return FaasflowGraphs.read(name);
  }

  /** {@value #WORKERS} workers, each with room for a quarter of the graph and 4 GiB. */
  static List<WorkerCapacity> workers(WorkflowGraph g) {
    int slots = Math.max(4, (g.nodes().size() + 3) / 4);
    List<WorkerCapacity> list = new ArrayList<>();
    for (int i = 1; i <= WORKERS; i++) {
      list.add(new WorkerCapacity("w" + i, slots, 4L << 30));
    }
    return list;
  }
}

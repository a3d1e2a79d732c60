package io.sluice.bench;

import io.sluice.master.partition.PartitionOptions;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.model.WorkflowGraph;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Milliseconds per partitioning of one graph on 8 workers. The quality figure (cross-worker bytes)
 * is printed by {@link PartitionQuality}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PartitionerBenchmark {

  @Param({
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
    "wfcommons/raw/blast-chameleon-small-001.json"
  })
  public String graph;

  @Param({"critical-path", "hash"})
  public String partitioner;

  private WorkflowGraph g;
  private List<WorkerCapacity> workers;
  private Partitioner p;

  @Setup
  public void setUp() {
    g = BenchGraphs.graph(graph);
    workers = BenchGraphs.workers(g);
    p = Partitioner.named(partitioner);
  }

  @Benchmark
  public Placement partition() {
    return p.partition(g, workers, PartitionOptions.DEFAULTS);
  }
}

package io.sluice.bench;

import io.sluice.master.partition.PartitionOptions;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.model.WorkflowGraph;
import java.util.List;

/**
 * Prints, for every benchmark graph and partitioner, the cross-worker edges and bytes of its
 * placement on the same workers as {@link PartitionerBenchmark}: a Markdown table.
 */
public final class PartitionQuality {
  private PartitionQuality() {}

  public static void main(String[] args) {
    List<String> names = args.length > 0 ? List.of(args) : BenchGraphs.NAMES;
    System.out.println(
        "| graph | nodes | edges | critical-path cross edges | critical-path cross bytes"
            + " | hash cross edges | hash cross bytes | critical-path / hash bytes |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String name : names) {
      WorkflowGraph g = BenchGraphs.graph(name);
      var workers = BenchGraphs.workers(g);
      Placement cp = Partitioner.criticalPath().partition(g, workers, PartitionOptions.DEFAULTS);
      Placement hash = Partitioner.hash().partition(g, workers, PartitionOptions.DEFAULTS);
      double ratio =
          hash.crossWorkerBytes() == 0
              ? 1
              : (double) cp.crossWorkerBytes() / hash.crossWorkerBytes();
      System.out.printf(
          "| %s | %d | %d | %d | %,d | %d | %,d | %.3f |%n",
          name,
          g.nodes().size(),
          g.edges().size(),
          cp.crossWorkerEdges(),
          cp.crossWorkerBytes(),
          hash.crossWorkerEdges(),
          hash.crossWorkerBytes(),
          ratio);
    }
  }
}

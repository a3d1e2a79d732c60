package io.sluice.master.partition;

import io.sluice.model.MapNode;
import io.sluice.model.WorkflowGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * FaaSFlow's baseline: node {@code id} runs on {@code workers[floorMod(id.hashCode(), n)]} with the
 * workers sorted by id. {@link String#hashCode()} is specified by the JLS (s[0]·31^(n-1) + ... +
 * s[n-1]), so the placement is the same in every JVM and run. It ignores capacity and data sizes:
 * it is the yardstick the critical-path partitioner is measured against. Map iterations may go to
 * every worker, the map node's own first.
 */
final class HashPartitioner implements Partitioner {
  static final String NAME = "hash";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Placement partition(WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts) {
    List<String> ids = List.of(Cluster.of(workers, g.nodes().size(), opts).ids);
    Map<String, String> byNode = new LinkedHashMap<>();
    Map<String, List<String>> spreads = new LinkedHashMap<>();
    g.nodes()
        .forEach(
            (id, node) -> {
              int i = Math.floorMod(id.hashCode(), ids.size());
              byNode.put(id, ids.get(i));
              if (node instanceof MapNode) {
                spreads.put(id, rotate(ids, i));
              }
            });
    return Placement.of(NAME, g, byNode, spreads);
  }

  private static List<String> rotate(List<String> ids, int first) {
    return IntStream.range(0, ids.size()).mapToObj(k -> ids.get((first + k) % ids.size())).toList();
  }
}

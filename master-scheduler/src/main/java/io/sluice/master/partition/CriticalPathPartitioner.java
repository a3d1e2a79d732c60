package io.sluice.master.partition;

import io.sluice.model.WorkflowGraph;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FaaSFlow's grouping (docs/design.md, Placement), made deterministic and fast.
 *
 * <ol>
 *   <li>Critical-path rounds. An edge costs {@code bytes / bandwidth} seconds, divided by the
 *       memory/network speed ratio when both ends are in one group; a node costs its hinted compute
 *       time. Each round finds the longest path (ties: more hops), then walks its edges heaviest
 *       first (ties: edge order) and merges the two end groups of every edge where the merged group
 *       still fits one worker's room in nodes and FaaStore bytes and the group size cap. FaaSFlow
 *       merges one edge per round; merging every feasible edge of the path per round gives the same
 *       kind of groups in far fewer rounds. Rounds stop when no edge of the critical path can
 *       merge, or after {@value #MAX_ROUNDS} rounds.
 *   <li>Beyond FaaSFlow: the edges left across groups are tried once more, heaviest first, under
 *       the same limits (Kruskal-style), so data edges off the critical path also stay local.
 *   <li>{@link GroupPacker} puts the groups on workers.
 * </ol>
 *
 * <p>Cost: building the arrays and the topological order is O(V + E); each round is one pass in
 * topological order, O((V + E)·α(V)); the second step sorts the edges, O(E log E); packing is O(G·W
 * + E) for G groups and W workers. With R rounds that is O(R·(V + E) + E log E + G·W) in all; R is
 * at most {@value #MAX_ROUNDS} and in practice a handful, because a round ends only when its path
 * has been merged as far as the limits allow.
 */
final class CriticalPathPartitioner implements Partitioner {
  static final String NAME = "critical-path";
  static final int MAX_ROUNDS = 1_000;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Placement partition(WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts) {
    return place(g, workers, opts, null);
  }

  @Override
  public Placement repartition(
      Placement previous, WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts) {
    return place(g, workers, opts, previous);
  }

  private Placement place(
      WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts, Placement previous) {
    Dag dag = new Dag(g, opts);
    Cluster cluster = Cluster.of(workers, dag.nodes, opts);
    GroupPacker packer = new GroupPacker(dag, cluster);
    if (previous != null) {
      packer.keep(previous);
    }
    Groups groups = new Groups(dag.outputBytes);
    Merger merger = new Merger(dag, groups, packer, opts.groupSizeCap());
    mergeAlongCriticalPaths(dag, groups, merger, opts.memoryToNetworkSpeedRatio());
    Integer[] heaviestFirst = byWeight(dag, allEdges(dag.edges));
    for (int e : heaviestFirst) {
      merger.tryMerge(e);
    }
    int[] assigned = packer.pack(groups);
    Map<String, String> byNode = new LinkedHashMap<>();
    Map<String, List<String>> spreads = new LinkedHashMap<>();
    for (int v = 0; v < dag.nodes; v++) {
      byNode.put(dag.index.id(v), cluster.ids[assigned[v]]);
      if (dag.isMap[v]) {
        spreads.put(dag.index.id(v), cluster.spreadFrom(assigned[v]));
      }
    }
    return Placement.of(NAME, g, byNode, spreads);
  }

  private static void mergeAlongCriticalPaths(
      Dag dag, Groups groups, Merger merger, double speedRatio) {
    CriticalPath path = new CriticalPath(dag, groups, speedRatio);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean merged = false;
      for (int e : byWeight(dag, path.edges())) {
        merged |= merger.tryMerge(e);
      }
      if (!merged) {
        return;
      }
    }
  }

  private static Integer[] allEdges(int count) {
    Integer[] all = new Integer[count];
    Arrays.setAll(all, i -> i);
    return all;
  }

  /** Heaviest edge first; ties in edge order. */
  private static Integer[] byWeight(Dag dag, Integer[] edges) {
    Arrays.sort(
        edges, Comparator.<Integer>comparingLong(e -> -dag.bytes[e]).thenComparingInt(e -> e));
    return edges;
  }

  /** Merges the end groups of an edge when the merged group fits the limits. */
  private record Merger(Dag dag, Groups groups, GroupPacker packer, int cap) {
    boolean tryMerge(int e) {
      int u = dag.from[e];
      int v = dag.to[e];
      if (packer.isPlaced(u) || packer.isPlaced(v)) {
        return false;
      }
      int a = groups.find(u);
      int b = groups.find(v);
      if (a == b) {
        return false;
      }
      int size = groups.size(a) + groups.size(b);
      long memory = Groups.saturatedAdd(groups.memory(a), groups.memory(b));
      if (size > cap || !packer.fitsOneWorker(size, memory)) {
        return false;
      }
      groups.union(a, b);
      return true;
    }
  }
}

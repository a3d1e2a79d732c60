package io.sluice.master.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts groups of nodes on workers: largest group first, each on the worker it talks to most (bytes
 * on its edges to nodes already placed there), then the best fit (the least room left over), then
 * the lowest worker id. A group no worker has room for any more is split node by node in
 * topological order with the same choice. Tracks each worker's room as nodes are kept or placed.
 */
final class GroupPacker {
  private final Dag dag;
  private final Cluster cluster;
  private final int[] assigned;
  private final int[] freeNodes;
  private final long[] freeMemory;
  private final long[] affinity;

  GroupPacker(Dag dag, Cluster cluster) {
    this.dag = dag;
    this.cluster = cluster;
    assigned = new int[dag.nodes];
    Arrays.fill(assigned, -1);
    freeNodes = cluster.nodeCapacity.clone();
    freeMemory = cluster.memoryBudget.clone();
    affinity = new long[cluster.size()];
  }

  /** Keeps every node of {@code previous} whose worker is still here and still has room. */
  void keep(Placement previous) {
    for (int v = 0; v < dag.nodes; v++) {
      String worker = previous.workerOf(dag.index.id(v));
      int w = worker == null ? -1 : cluster.index(worker);
      if (w >= 0 && freeNodes[w] > 0 && freeMemory[w] >= dag.outputBytes[v]) {
        assign(v, w);
      }
    }
  }

  boolean isPlaced(int v) {
    return assigned[v] >= 0;
  }

  /** Whether one worker still has room for a group of this many nodes and bytes. */
  boolean fitsOneWorker(int nodes, long bytes) {
    for (int w = 0; w < freeNodes.length; w++) {
      if (freeNodes[w] >= nodes && freeMemory[w] >= bytes) {
        return true;
      }
    }
    return false;
  }

  /** Places every node not yet placed, group by group; returns node index -> worker index. */
  int[] pack(Groups groups) {
    List<int[]> byGroup = unplacedGroups(groups);
    byGroup.sort(
        Comparator.<int[]>comparingInt(m -> -m.length)
            .thenComparingLong(m -> -groups.memory(groups.find(m[0])))
            .thenComparingInt(m -> m[0]));
    for (int[] members : byGroup) {
      long memory = groups.memory(groups.find(members[0]));
      int w = choose(members, members.length, memory, false);
      if (w >= 0) {
        for (int v : members) {
          assign(v, w);
        }
      } else {
        split(members);
      }
    }
    return assigned;
  }

  private List<int[]> unplacedGroups(Groups groups) {
    int[] count = new int[dag.nodes];
    for (int v = 0; v < dag.nodes; v++) {
      if (!isPlaced(v)) {
        count[groups.find(v)]++;
      }
    }
    int[][] members = new int[dag.nodes][];
    int[] filled = new int[dag.nodes];
    List<int[]> result = new ArrayList<>();
    for (int v = 0; v < dag.nodes; v++) {
      if (!isPlaced(v)) {
        int r = groups.find(v);
        if (members[r] == null) {
          members[r] = new int[count[r]];
          result.add(members[r]);
        }
        members[r][filled[r]++] = v;
      }
    }
    return result;
  }

  private void split(int[] members) {
    Integer[] order = Arrays.stream(members).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt(v -> dag.position[v]));
    for (int v : order) {
      int[] one = {v};
      int w = choose(one, 1, dag.outputBytes[v], false);
      if (w < 0) { // no room for its output in memory: it spills to the remote store
        w = choose(one, 1, 0, false);
      }
      if (w < 0) { // every worker is full: share the overflow
        w = choose(one, 1, 0, true);
      }
      assign(v, w);
    }
  }

  private int choose(int[] members, int nodes, long memory, boolean overcommit) {
    Arrays.fill(affinity, 0);
    for (int v : members) {
      addAffinity(v, dag.outStart, dag.outEdges, dag.to);
      addAffinity(v, dag.inStart, dag.inEdges, dag.from);
    }
    int best = -1;
    for (int w = 0; w < freeNodes.length; w++) {
      boolean fits = freeNodes[w] >= nodes && freeMemory[w] >= memory;
      if (!(fits || overcommit)) {
        continue;
      }
      if (best < 0 || better(w, best, overcommit)) {
        best = w;
      }
    }
    return best;
  }

  /**
   * Normally: more affinity, then the best fit (least room left), then the lower index. When every
   * worker is full: the most room first, so the overflow is shared rather than piled on one.
   */
  private boolean better(int w, int other, boolean overcommit) {
    if (overcommit && freeNodes[w] != freeNodes[other]) {
      return freeNodes[w] > freeNodes[other];
    }
    if (affinity[w] != affinity[other]) {
      return affinity[w] > affinity[other];
    }
    return freeNodes[w] < freeNodes[other];
  }

  private void addAffinity(int v, int[] start, int[] rows, int[] otherEnd) {
    for (int i = start[v]; i < start[v + 1]; i++) {
      int e = rows[i];
      int w = assigned[otherEnd[e]];
      if (w >= 0) {
        affinity[w] = Groups.saturatedAdd(affinity[w], dag.bytes[e] + 1);
      }
    }
  }

  private void assign(int v, int w) {
    assigned[v] = w;
    freeNodes[w]--;
    freeMemory[w] = Math.max(0, freeMemory[w] - dag.outputBytes[v]);
  }
}

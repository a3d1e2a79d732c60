package io.sluice.master.partition;

/**
 * The longest path through a {@link Dag} under the current grouping: a node weighs its compute
 * time, an edge its network time, divided by the memory/network speed ratio inside one group. One
 * pass in topological order, O((V + E)·α(V)); ties go to the path with more hops, then to the
 * earlier node and edge, so the result is deterministic.
 */
final class CriticalPath {
  private final Dag dag;
  private final Groups groups;
  private final double speedRatio;
  private final double[] length;
  private final int[] hops;
  private final int[] via;

  CriticalPath(Dag dag, Groups groups, double speedRatio) {
    this.dag = dag;
    this.groups = groups;
    this.speedRatio = speedRatio;
    length = new double[dag.nodes];
    hops = new int[dag.nodes];
    via = new int[dag.nodes];
  }

  /** The edges of the current critical path, from its end back to its start. */
  Integer[] edges() {
    int end = -1;
    for (int i = 0; i < dag.nodes; i++) {
      int v = dag.topo[i];
      double best = 0;
      int bestHops = 0;
      int bestEdge = -1;
      int group = groups.find(v);
      for (int k = dag.inStart[v]; k < dag.inStart[v + 1]; k++) {
        int e = dag.inEdges[k];
        if (!dag.forward(e)) {
          continue;
        }
        int u = dag.from[e];
        double cost = dag.networkSeconds[e];
        if (groups.find(u) == group) {
          cost /= speedRatio;
        }
        double total = length[u] + cost;
        int h = hops[u] + 1;
        if (bestEdge < 0 || total > best || (total == best && h > bestHops)) {
          best = total;
          bestHops = h;
          bestEdge = e;
        }
      }
      length[v] = best + dag.computeSeconds[v];
      hops[v] = bestHops;
      via[v] = bestEdge;
      if (end < 0 || length[v] > length[end] || (length[v] == length[end] && hops[v] > hops[end])) {
        end = v;
      }
    }
    if (end < 0) {
      return new Integer[0];
    }
    Integer[] path = new Integer[hops[end]];
    int k = 0;
    for (int e = via[end]; e >= 0; e = via[dag.from[e]]) {
      path[k++] = e;
    }
    return path;
  }
}

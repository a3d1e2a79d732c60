package io.sluice.master.partition;

import io.sluice.model.Edge;
import io.sluice.model.GraphIndex;
import io.sluice.model.Hints;
import io.sluice.model.MapNode;
import io.sluice.model.WorkflowGraph;

/**
 * A workflow graph as flat int-indexed arrays, for the partitioner's many passes: edges with their
 * network cost, adjacency in compressed rows, node weights, and one topological order. Node indices
 * follow the graph's node order ({@link GraphIndex}); so does every tie-break.
 *
 * <p>The top-level graph of a valid workflow is acyclic (loops are declared nodes). Should it not
 * be, the nodes left on a cycle are appended in index order and the edges that point backwards in
 * that order are left out of path lengths.
 */
final class Dag {
  final WorkflowGraph graph;
  final GraphIndex index;
  final int nodes;
  final int edges;
  final int[] from;
  final int[] to;
  final long[] bytes;
  final double[] networkSeconds;
  final double[] computeSeconds;
  final long[] outputBytes;
  final boolean[] isMap;
  final int[] outStart;
  final int[] outEdges;
  final int[] inStart;
  final int[] inEdges;
  final int[] topo;
  final int[] position;

  Dag(WorkflowGraph g, PartitionOptions opts) {
    graph = g;
    index = GraphIndex.of(g);
    nodes = index.size();
    computeSeconds = new double[nodes];
    outputBytes = new long[nodes];
    isMap = new boolean[nodes];
    for (int v = 0; v < nodes; v++) {
      var node = g.node(index.id(v));
      Hints h = node.options().hints();
      computeSeconds[v] = h.computeTime().toNanos() / 1e9;
      outputBytes[v] = h.outputBytes();
      isMap[v] = node instanceof MapNode;
    }
    int known = 0;
    for (Edge e : g.edges()) {
      if (index.index(e.from()) >= 0 && index.index(e.to()) >= 0) {
        known++;
      }
    }
    edges = known;
    from = new int[edges];
    to = new int[edges];
    bytes = new long[edges];
    networkSeconds = new double[edges];
    int k = 0;
    for (Edge e : g.edges()) {
      int f = index.index(e.from());
      int t = index.index(e.to());
      if (f >= 0 && t >= 0) {
        from[k] = f;
        to[k] = t;
        bytes[k] = Placement.edgeBytes(g, e);
        networkSeconds[k] = bytes[k] / opts.bandwidthBytesPerSecond();
        k++;
      }
    }
    outStart = new int[nodes + 1];
    outEdges = new int[edges];
    inStart = new int[nodes + 1];
    inEdges = new int[edges];
    compress(from, outStart, outEdges);
    compress(to, inStart, inEdges);
    topo = new int[nodes];
    position = new int[nodes];
    topologicalOrder();
  }

  /** Compressed rows: the edges of node v are rows[start[v] .. start[v+1]), in edge order. */
  private void compress(int[] endpoint, int[] start, int[] rows) {
    for (int e = 0; e < edges; e++) {
      start[endpoint[e] + 1]++;
    }
    for (int v = 0; v < nodes; v++) {
      start[v + 1] += start[v];
    }
    int[] fill = new int[nodes];
    for (int e = 0; e < edges; e++) {
      int v = endpoint[e];
      rows[start[v] + fill[v]++] = e;
    }
  }

  /** Kahn's algorithm with a FIFO seeded in index order: deterministic. */
  private void topologicalOrder() {
    int[] missing = new int[nodes];
    for (int e = 0; e < edges; e++) {
      missing[to[e]]++;
    }
    boolean[] done = new boolean[nodes];
    int head = 0;
    int tail = 0;
    for (int v = 0; v < nodes; v++) {
      if (missing[v] == 0) {
        topo[tail++] = v;
        done[v] = true;
      }
    }
    while (tail < nodes) {
      while (head < tail) {
        int v = topo[head++];
        for (int i = outStart[v]; i < outStart[v + 1]; i++) {
          int w = to[outEdges[i]];
          if (--missing[w] == 0 && !done[w]) {
            topo[tail++] = w;
            done[w] = true;
          }
        }
      }
      for (int v = 0; v < nodes && head == tail && tail < nodes; v++) {
        if (!done[v]) { // on a cycle: break it at the lowest index
          topo[tail++] = v;
          done[v] = true;
        }
      }
    }
    for (int i = 0; i < nodes; i++) {
      position[topo[i]] = i;
    }
  }

  /** Whether edge e points forward in the topological order (false only for cycle edges). */
  boolean forward(int e) {
    return position[from[e]] < position[to[e]];
  }
}

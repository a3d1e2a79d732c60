package io.sluice.master.partition;

/**
 * Disjoint sets of nodes (union-find with path halving and union by size) that also sum each
 * group's FaaStore bytes: the outputs its nodes keep in the memory of the worker that runs it.
 */
final class Groups {
  private final int[] parent;
  private final int[] size;
  private final long[] memory;

  Groups(long[] outputBytes) {
    int n = outputBytes.length;
    parent = new int[n];
    size = new int[n];
    memory = outputBytes.clone();
    for (int v = 0; v < n; v++) {
      parent[v] = v;
      size[v] = 1;
    }
  }

  int find(int v) {
    while (parent[v] != v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  }

  int size(int root) {
    return size[root];
  }

  long memory(int root) {
    return memory[root];
  }

  /** Joins two roots; the larger group's root (the lower index on a tie) stays the root. */
  void union(int a, int b) {
    if (size[a] < size[b] || (size[a] == size[b] && b < a)) {
      int t = a;
      a = b;
      b = t;
    }
    parent[b] = a;
    size[a] += size[b];
    memory[a] = saturatedAdd(memory[a], memory[b]);
  }

  static long saturatedAdd(long x, long y) {
    long r = x + y;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}

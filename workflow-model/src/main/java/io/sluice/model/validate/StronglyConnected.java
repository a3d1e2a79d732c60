package io.sluice.model.validate;

import io.sluice.model.Edge;
import io.sluice.model.GraphIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the cycles of a graph as its non-trivial strongly connected components (Tarjan's algorithm,
 * iterative so a 10,000-node chain does not overflow the stack; linear time).
 */
final class StronglyConnected {
  private StronglyConnected() {}

  /** Each cycle as the dense indexes of its nodes, ascending (definition order). */
  static List<int[]> cycles(GraphIndex idx) {
    int n = idx.size();
    int[][] succ = new int[n][];
    for (int i = 0; i < n; i++) {
      List<Edge> out = idx.outgoing(idx.id(i));
      succ[i] = new int[out.size()];
      for (int k = 0; k < out.size(); k++) {
        succ[i][k] = idx.index(out.get(k).to());
      }
    }
    int[] index = new int[n];
    int[] low = new int[n];
    int[] edgePos = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    int[] stack = new int[n];
    int sp = 0;
    int[] call = new int[n];
    int cp = 0;
    int counter = 0;
    List<int[]> cycles = new ArrayList<>();
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      call[cp++] = root;
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = true;
      while (cp > 0) {
        int v = call[cp - 1];
        if (edgePos[v] < succ[v].length) {
          int w = succ[v][edgePos[v]++];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = true;
            call[cp++] = w;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        cp--;
        if (cp > 0) {
          int parent = call[cp - 1];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == index[v]) {
          int start = sp;
          do {
            start--;
            onStack[stack[start]] = false;
          } while (stack[start] != v);
          int[] members = Arrays.copyOfRange(stack, start, sp);
          sp = start;
          if (members.length > 1 || selfLoop(succ[v], v)) {
            Arrays.sort(members);
            cycles.add(members);
          }
        }
      }
    }
    cycles.sort(java.util.Comparator.comparingInt(c -> c[0]));
    return cycles;
  }

  private static boolean selfLoop(int[] succ, int v) {
    for (int w : succ) {
      if (w == v) {
        return true;
      }
    }
    return false;
  }
}

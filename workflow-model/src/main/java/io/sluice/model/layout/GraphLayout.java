package io.sluice.model.layout;

import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered drawing of a workflow graph's top-level nodes (a Sugiyama-style layout, small enough to
 * need no Graphviz): nodes go into layers by their longest path from an entry, each layer is
 * ordered by the barycenter of its neighbours in a few down and up sweeps (fewer crossings), a
 * layer wider than {@link #MAX_PER_ROW} wraps onto further rows, and rows are centred on the
 * widest. Edges are straight lines from the bottom of one box to the top of the other. Inner graphs
 * (maps, loops, sub-workflows) are drawn as their owner's box.
 *
 * <p>Deterministic: the same graph always gives the same drawing. Linear in nodes and edges per
 * sweep; the 1,000-node WfCommons traces lay out in milliseconds.
 */
public final class GraphLayout {
  /** Box size and gaps, in SVG user units (pixels at 100%). */
  public static final int BOX_WIDTH = 150;

  public static final int BOX_HEIGHT = 40;
  public static final int GAP_X = 24;
  public static final int GAP_Y = 48;
  public static final int MARGIN = 16;

  /**
   * The most boxes side by side: a wider layer (genome's 40 parallel tasks) wraps onto further
   * rows, in its order; edges still point down, as no edge joins two nodes of one layer.
   */
  public static final int MAX_PER_ROW = 10;

  private static final int SWEEPS = 6;

  /** A node's box: its top-left corner, its label lines and its kind. */
  public record Box(String id, String kind, String label, int x, int y) {
    public int centerX() {
      return x + BOX_WIDTH / 2;
    }
  }

  /** An edge between two boxes. */
  public record Line(String from, String to, Edge.Kind kind) {}

  /** The drawing: boxes by node id in graph order, edges, and the canvas size. */
  public record Drawing(Map<String, Box> boxes, List<Line> lines, int width, int height) {}

  private GraphLayout() {}

  public static Drawing layout(WorkflowGraph g) {
    List<String> ids = new ArrayList<>(g.nodes().keySet());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    int n = ids.size();
    List<List<Integer>> succ = new ArrayList<>();
    List<List<Integer>> pred = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      succ.add(new ArrayList<>());
      pred.add(new ArrayList<>());
    }
    List<Line> lines = new ArrayList<>();
    for (Edge e : g.edges()) {
      Integer a = index.get(e.from());
      Integer b = index.get(e.to());
      if (a == null || b == null || a.equals(b)) {
        continue; // a dangling edge or a self-loop: the validator reports it; nothing to draw
      }
      lines.add(new Line(e.from(), e.to(), e.kind()));
      succ.get(a).add(b);
      pred.get(b).add(a);
    }
    int[] layer = layers(n, succ, pred);
    List<List<Integer>> rows = rows(n, layer);
    order(rows, succ, pred, n);
    return place(g, ids, rows, lines);
  }

  /**
   * Longest path from the entries, over the edges of a depth-first spanning order so that a cycle
   * (an invalid graph, or a catch edge pointing back) cannot loop forever: back edges are ignored.
   */
  private static int[] layers(int n, List<List<Integer>> succ, List<List<Integer>> pred) {
    int[] state = new int[n]; // 0 new, 1 on stack, 2 done
    List<Integer> topo = new ArrayList<>(n);
    boolean[][] back = new boolean[n][];
    for (int i = 0; i < n; i++) {
      back[i] = new boolean[succ.get(i).size()];
    }
    Walk walk = new Walk(succ, state, back, topo, new int[n + 1], new int[n]);
    for (int root = 0; root < n; root++) {
      if (state[root] == 0 && pred.get(root).isEmpty()) {
        walk.from(root);
      }
    }
    for (int root = 0; root < n; root++) {
      if (state[root] == 0) {
        walk.from(root); // nodes only reachable through a cycle
      }
    }
    int[] layer = new int[n];
    for (int k = topo.size() - 1; k >= 0; k--) {
      int v = topo.get(k);
      List<Integer> out = succ.get(v);
      for (int j = 0; j < out.size(); j++) {
        if (!back[v][j]) {
          int w = out.get(j);
          layer[w] = Math.max(layer[w], layer[v] + 1);
        }
      }
    }
    return layer;
  }

  /**
   * Iterative depth-first search (deep chains must not overflow the stack) in post-order, marking
   * the edges that close a cycle; its arrays are shared by every root.
   */
  private record Walk(
      List<List<Integer>> succ,
      int[] state,
      boolean[][] back,
      List<Integer> post,
      int[] stack,
      int[] next) {
    void from(int root) {
      int top = 0;
      stack[top++] = root;
      state[root] = 1;
      while (top > 0) {
        int v = stack[top - 1];
        List<Integer> out = succ.get(v);
        if (next[v] < out.size()) {
          int j = next[v]++;
          int w = out.get(j);
          if (state[w] == 1) {
            back[v][j] = true;
          } else if (state[w] == 0) {
            state[w] = 1;
            stack[top++] = w;
          }
        } else {
          state[v] = 2;
          post.add(v);
          top--;
        }
      }
    }
  }

  private static List<List<Integer>> rows(int n, int[] layer) {
    int depth = Arrays.stream(layer).max().orElse(-1) + 1;
    List<List<Integer>> rows = new ArrayList<>(depth);
    for (int d = 0; d < depth; d++) {
      rows.add(new ArrayList<>());
    }
    for (int v = 0; v < n; v++) {
      rows.get(layer[v]).add(v);
    }
    return rows;
  }

  /** Barycenter sweeps, down then up; ties keep the previous order (stable sort). */
  private static void order(
      List<List<Integer>> rows, List<List<Integer>> succ, List<List<Integer>> pred, int n) {
    double[] pos = new double[n];
    for (List<Integer> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        pos[row.get(i)] = i;
      }
    }
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      boolean down = sweep % 2 == 0;
      int from = down ? 1 : rows.size() - 2;
      int step = down ? 1 : -1;
      for (int d = from; d >= 0 && d < rows.size(); d += step) {
        List<Integer> row = rows.get(d);
        List<List<Integer>> nbrs = down ? pred : succ;
        double[] key = new double[n];
        for (int v : row) {
          List<Integer> ns = nbrs.get(v);
          key[v] = ns.isEmpty() ? pos[v] : ns.stream().mapToDouble(w -> pos[w]).average().orElse(0);
        }
        row.sort(Comparator.comparingDouble(v -> key[v]));
        for (int i = 0; i < row.size(); i++) {
          pos[row.get(i)] = i;
        }
      }
    }
  }

  private static Drawing place(
      WorkflowGraph g, List<String> ids, List<List<Integer>> layers, List<Line> lines) {
    List<List<Integer>> rows = new ArrayList<>();
    for (List<Integer> layer : layers) {
      for (int from = 0; from < layer.size(); from += MAX_PER_ROW) {
        rows.add(layer.subList(from, Math.min(layer.size(), from + MAX_PER_ROW)));
      }
    }
    int widest = rows.stream().mapToInt(List::size).max().orElse(0);
    int width = 2 * MARGIN + Math.max(1, widest) * (BOX_WIDTH + GAP_X) - GAP_X;
    int height = 2 * MARGIN + Math.max(1, rows.size()) * (BOX_HEIGHT + GAP_Y) - GAP_Y;
    Map<String, Box> byId = new HashMap<>();
    for (int d = 0; d < rows.size(); d++) {
      List<Integer> row = rows.get(d);
      int rowWidth = row.size() * (BOX_WIDTH + GAP_X) - GAP_X;
      int x0 = (width - rowWidth) / 2;
      for (int i = 0; i < row.size(); i++) {
        String id = ids.get(row.get(i));
        Node node = g.node(id);
        byId.put(
            id,
            new Box(
                id,
                node.kind(),
                label(node),
                x0 + i * (BOX_WIDTH + GAP_X),
                MARGIN + d * (BOX_HEIGHT + GAP_Y)));
      }
    }
    Map<String, Box> boxes = new LinkedHashMap<>();
    for (String id : ids) {
      boxes.put(id, byId.get(id));
    }
    return new Drawing(boxes, List.copyOf(lines), width, height);
  }

  /** The second line of a box: a task's function, else the node's kind in brackets. */
  private static String label(Node n) {
    return n instanceof TaskNode t ? t.function() : "[" + n.kind() + "]";
  }
}

package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.GraphWalk;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.SwitchNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.JqEvaluator;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural sanity of an imported graph, for tests (the real checks are the validator's): no edge
 * names an unknown node, the graph is a DAG, every switch target is reached by a BRANCH edge from
 * the switch; nested graphs (map iterators, loop bodies, sub-workflows) likewise.
 */
final class GraphChecks {
  private GraphChecks() {}

  static Path corpus(String... parts) {
    String root = System.getProperty("sluice.corpus");
    assertThat(root).as("system property sluice.corpus (set by the root pom)").isNotNull();
    return Path.of(root, parts);
  }

  static void assertSound(WorkflowGraph root) {
    GraphWalk.graphs(root).forEach(nested -> assertSoundAlone(nested.graph()));
  }

  /** The checks of one graph, not counting those nested in it. */
  private static void assertSoundAlone(WorkflowGraph g) {
    Map<String, Integer> indegree = new HashMap<>();
    Map<String, List<Edge>> out = new HashMap<>();
    g.nodes().keySet().forEach(id -> indegree.put(id, 0));
    Set<Edge> seen = new HashSet<>();
    for (Edge e : g.edges()) {
      assertThat(g.nodes()).as("edge %s of %s", e, g.name()).containsKeys(e.from(), e.to());
      assertThat(seen.add(e)).as("duplicate edge %s", e).isTrue();
      indegree.merge(e.to(), 1, Integer::sum);
      out.computeIfAbsent(e.from(), k -> new java.util.ArrayList<>()).add(e);
    }
    Deque<String> ready = new ArrayDeque<>();
    indegree.forEach(
        (id, d) -> {
          if (d == 0) {
            ready.add(id);
          }
        });
    int visited = 0;
    while (!ready.isEmpty()) {
      String id = ready.poll();
      visited++;
      for (Edge e : out.getOrDefault(id, List.of())) {
        if (indegree.merge(e.to(), -1, Integer::sum) == 0) {
          ready.add(e.to());
        }
      }
    }
    assertThat(visited).as("%s must be acyclic", g.name()).isEqualTo(g.nodes().size());
    if (g.output() != null) {
      assertCompiles(g.output(), g.name() + " output");
    }
    for (Node n : g.nodes().values()) {
      if (n.options().input() != null) {
        assertCompiles(n.options().input(), n.id() + " input");
      }
      if (n.options().output() != null) {
        assertCompiles(n.options().output(), n.id() + " output");
      }
      if (n instanceof SwitchNode s) {
        s.cases().forEach(c -> assertCompiles(c.condition(), s.id() + " case"));
        List<String> targets = new java.util.ArrayList<>();
        s.cases().forEach(c -> targets.add(c.target()));
        if (s.defaultTarget() != null) {
          targets.add(s.defaultTarget());
        }
        for (String t : targets) {
          assertThat(g.edges())
              .as("BRANCH edge %s -> %s", s.id(), t)
              .anyMatch(
                  e -> e.from().equals(s.id()) && e.to().equals(t) && e.kind() == Edge.Kind.BRANCH);
        }
      } else if (n instanceof MapNode m) {
        assertCompiles(m.items(), m.id() + " items");
      }
    }
  }

  private static void assertCompiles(Expr e, String what) {
    assertThat(JqEvaluator.shared().check(e.source())).as(what + ": " + e.source()).isNull();
  }

  static List<Edge> incoming(WorkflowGraph g, String id) {
    return g.edges().stream().filter(e -> e.to().equals(id)).toList();
  }

  static Set<String> edgePairs(WorkflowGraph g) {
    Set<String> out = new HashSet<>();
    g.edges().forEach(e -> out.add(e.from() + " -> " + e.to()));
    return out;
  }
}

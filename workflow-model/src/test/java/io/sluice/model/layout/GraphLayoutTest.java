package io.sluice.model.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {

  private static WorkflowGraph graph(List<String> ids, List<Edge> edges) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (String id : ids) {
      nodes.put(id, new TaskNode(id, "fn_" + id, null));
    }
    return new WorkflowGraph("g", "1", nodes, edges, List.of(), Map.of(), null, null);
  }

  @Test
  void aChainGoesDownOneLayerPerNode() {
    GraphLayout.Drawing d =
        GraphLayout.layout(
            graph(List.of("a", "b", "c"), List.of(Edge.next("a", "b"), Edge.next("b", "c"))));
    assertThat(d.boxes().get("a").y()).isLessThan(d.boxes().get("b").y());
    assertThat(d.boxes().get("b").y()).isLessThan(d.boxes().get("c").y());
    assertThat(d.boxes().get("a").x()).isEqualTo(d.boxes().get("c").x());
    assertThat(d.boxes().get("b").label()).isEqualTo("fn_b");
  }

  @Test
  void aNodeGoesBelowItsLongestPathAndSiblingsShareALayer() {
    // a -> b -> d, a -> c -> d, a -> d: d is below b and c, not beside them.
    GraphLayout.Drawing d =
        GraphLayout.layout(
            graph(
                List.of("a", "b", "c", "d"),
                List.of(
                    Edge.next("a", "b"),
                    Edge.next("a", "c"),
                    Edge.next("b", "d"),
                    Edge.next("c", "d"),
                    Edge.next("a", "d"))));
    assertThat(d.boxes().get("b").y()).isEqualTo(d.boxes().get("c").y());
    assertThat(d.boxes().get("d").y()).isGreaterThan(d.boxes().get("b").y());
    assertThat(d.boxes().get("b").x()).isNotEqualTo(d.boxes().get("c").x());
    assertThat(d.lines()).hasSize(5);
  }

  @Test
  void aCycleIsDrawnWithoutLoopingAndDanglingEdgesAreLeftOut() {
    GraphLayout.Drawing d =
        GraphLayout.layout(
            graph(
                List.of("a", "b", "c"),
                List.of(
                    Edge.next("a", "b"),
                    Edge.next("b", "c"),
                    Edge.next("c", "a"),
                    Edge.next("c", "nowhere"))));
    assertThat(d.boxes()).containsOnlyKeys("a", "b", "c");
    assertThat(d.lines()).hasSize(3);
    assertNoOverlap(d);
  }

  @Test
  void corpusWorkflowsLayOutWithoutOverlapsTheSameWayEveryTime() throws Exception {
    for (String file :
        List.of(
            "faasflow/genome/flat_workflow.yaml",
            "wfcommons/raw/montage-chameleon-2mass-01d-001.json")) {
      WorkflowGraph g =
          new WorkflowLoader().load(Path.of(System.getProperty("sluice.corpus"), file));
      GraphLayout.Drawing d = GraphLayout.layout(g);
      assertThat(d.boxes()).hasSameSizeAs(g.nodes());
      assertNoOverlap(d);
      for (Edge e : g.edges()) {
        // Every edge points down: the layering follows the graph's order.
        assertThat(d.boxes().get(e.to()).y())
            .as(e.toString())
            .isGreaterThan(d.boxes().get(e.from()).y());
      }
      assertThat(GraphLayout.layout(g)).isEqualTo(d);
      String svg = SvgWriter.toSvg(d, Map.of(g.nodes().keySet().iterator().next(), "#8fd694"));
      assertThat(svg).startsWith("<svg").contains("#8fd694").endsWith("</svg>\n");
      assertThat(svg.split("<g class=\"node\"", -1)).hasSize(g.nodes().size() + 1);
    }
  }

  @Test
  void aWideLayerWrapsOntoRowsOfAtMostTen() {
    List<String> ids = new ArrayList<>(List.of("root"));
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ids.add("t" + i);
      edges.add(Edge.next("root", "t" + i));
    }
    GraphLayout.Drawing d = GraphLayout.layout(graph(ids, edges));
    assertThat(d.boxes().values().stream().map(GraphLayout.Box::y).distinct()).hasSize(4);
    assertThat(d.width())
        .isEqualTo(
            2 * GraphLayout.MARGIN
                + GraphLayout.MAX_PER_ROW * (GraphLayout.BOX_WIDTH + GraphLayout.GAP_X)
                - GraphLayout.GAP_X);
    assertNoOverlap(d);
  }

  @Test
  void svgEscapesNamesAndShortensLongLabels() {
    String svg =
        SvgWriter.toSvg(GraphLayout.layout(graph(List.of("a<&>\"b", "x".repeat(60)), List.of())));
    assertThat(svg)
        .contains("a&lt;&amp;&gt;&quot;b")
        .contains(">" + "x".repeat(19) + "…</text>")
        .doesNotContain(">" + "x".repeat(20));
  }

  private static void assertNoOverlap(GraphLayout.Drawing d) {
    List<GraphLayout.Box> boxes = new ArrayList<>(d.boxes().values());
    for (int i = 0; i < boxes.size(); i++) {
      GraphLayout.Box a = boxes.get(i);
      assertThat(a.x() + GraphLayout.BOX_WIDTH).isLessThanOrEqualTo(d.width());
      assertThat(a.y() + GraphLayout.BOX_HEIGHT).isLessThanOrEqualTo(d.height());
      for (int j = i + 1; j < boxes.size(); j++) {
        GraphLayout.Box b = boxes.get(j);
        boolean apart =
            a.x() + GraphLayout.BOX_WIDTH <= b.x()
                || b.x() + GraphLayout.BOX_WIDTH <= a.x()
                || a.y() + GraphLayout.BOX_HEIGHT <= b.y()
                || b.y() + GraphLayout.BOX_HEIGHT <= a.y();
        assertThat(apart).as(a + " / " + b).isTrue();
      }
    }
  }
}

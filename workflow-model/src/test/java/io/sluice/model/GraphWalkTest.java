package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphWalkTest {

  private static WorkflowGraph graph(String name, Node... nodes) {
    Map<String, Node> byId = new LinkedHashMap<>();
    for (Node n : nodes) {
      byId.put(n.id(), n);
    }
    return new WorkflowGraph(name, "1", byId, List.of(), List.of(), Map.of(), null, null);
  }

  private static TaskNode task(String id) {
    return new TaskNode(id, "f", null);
  }

  /** A map inside a loop inside a sub-workflow, with siblings before and after each. */
  private static final WorkflowGraph ROOT =
      graph(
          "root",
          task("first"),
          new SubWorkflowNode(
              "sub",
              graph(
                  "child",
                  new LoopNode(
                      "loop",
                      graph(
                          "body",
                          task("prep"),
                          new MapNode(
                              "map",
                              Expr.of(".items"),
                              graph("iter", task("work"), new PassNode("check", null)),
                              0,
                              null),
                          task("after")),
                      Expr.of(".again"),
                      3,
                      null),
                  EndNode.succeed("done")),
              null),
          task("last"));

  @Test
  void walksDepthFirstInDefinitionOrderEnteringEachInnerGraphRightAfterItsNode() {
    List<String> events = new ArrayList<>();
    GraphWalk.depthFirst(
        ROOT,
        new GraphWalk.Visitor() {
          @Override
          public void enterGraph(GraphWalk.NestedGraph g) {
            events.add("enter " + g.graph().name() + " [" + g.prefix() + "]");
          }

          @Override
          public void visitNode(GraphWalk.NestedNode n) {
            events.add(n.path());
          }

          @Override
          public void leaveGraph(GraphWalk.NestedGraph g) {
            events.add("leave " + g.graph().name());
          }
        });
    assertThat(events)
        .containsExactly(
            "enter root []",
            "first",
            "sub",
            "enter child [sub/]",
            "sub/loop",
            "enter body [sub/loop/]",
            "sub/loop/prep",
            "sub/loop/map",
            "enter iter [sub/loop/map/]",
            "sub/loop/map/work",
            "sub/loop/map/check",
            "leave iter",
            "sub/loop/after",
            "leave body",
            "sub/done",
            "leave child",
            "last",
            "leave root");
  }

  @Test
  void everyNodeIsVisitedOnceWithItsGraphAndEnclosingNodes() {
    List<GraphWalk.NestedNode> nodes = GraphWalk.nodes(ROOT).toList();
    assertThat(nodes).extracting(GraphWalk.NestedNode::path).doesNotHaveDuplicates().hasSize(10);
    GraphWalk.NestedNode work =
        nodes.stream().filter(n -> n.node().id().equals("work")).findFirst().orElseThrow();
    assertThat(work.enclosing()).extracting(Node::id).containsExactly("sub", "loop", "map");
    assertThat(work.enclosing())
        .extracting(Node::kind)
        .containsExactly("subworkflow", "loop", "map");
    assertThat(work.depth()).isEqualTo(3);
    assertThat(work.graph().name()).isEqualTo("iter");
    assertThat(work.graph().node("work")).isSameAs(work.node());
    for (GraphWalk.NestedNode n : nodes) {
      assertThat(n.graph().node(n.node().id())).as(n.path()).isSameAs(n.node());
    }
  }

  @Test
  void graphsComeInWalkOrderWithTheirOwners() {
    List<GraphWalk.NestedGraph> graphs = GraphWalk.graphs(ROOT).toList();
    assertThat(graphs)
        .extracting(g -> g.graph().name())
        .containsExactly("root", "child", "body", "iter");
    assertThat(graphs.get(0).isRoot()).isTrue();
    assertThat(graphs.get(0).owner()).isNull();
    assertThat(graphs.subList(1, graphs.size()))
        .extracting(g -> g.owner().innerGraph().orElseThrow())
        .containsExactly(graphs.get(1).graph(), graphs.get(2).graph(), graphs.get(3).graph());
  }

  @Test
  void theWalkIsDeterministic() {
    List<String> once = GraphWalk.nodes(ROOT).map(GraphWalk.NestedNode::path).toList();
    for (int i = 0; i < 5; i++) {
      assertThat(GraphWalk.nodes(ROOT).map(GraphWalk.NestedNode::path).toList()).isEqualTo(once);
    }
  }

  @Test
  void emptyInnerGraphsAreEnteredAndLeft() {
    WorkflowGraph g = graph("root", new SubWorkflowNode("s", graph("empty"), null));
    assertThat(GraphWalk.graphs(g))
        .extracting(x -> x.graph().name())
        .containsExactly("root", "empty");
    assertThat(GraphWalk.nodes(g)).extracting(GraphWalk.NestedNode::path).containsExactly("s");
  }

  @Test
  void aGraphSharedByTwoNodesIsWalkedUnderEach() {
    WorkflowGraph shared = graph("shared", task("x"));
    WorkflowGraph g =
        graph(
            "root", new SubWorkflowNode("a", shared, null), new SubWorkflowNode("b", shared, null));
    assertThat(GraphWalk.nodes(g))
        .extracting(GraphWalk.NestedNode::path)
        .containsExactly("a", "a/x", "b", "b/x");
  }

  @Test
  void onlyMapsLoopsAndSubWorkflowsHaveAnInnerGraph() {
    WorkflowGraph inner = graph("inner", task("x"));
    assertThat(new MapNode("m", Expr.of("."), inner, 0, null).innerGraph()).containsSame(inner);
    assertThat(new LoopNode("l", inner, Expr.of("false"), 1, null).innerGraph())
        .containsSame(inner);
    assertThat(new SubWorkflowNode("s", inner, null).innerGraph()).containsSame(inner);
    assertThat(task("t").innerGraph()).isEmpty();
    assertThat(new PassNode("p", null).innerGraph()).isEmpty();
    assertThat(EndNode.succeed("e").innerGraph()).isEmpty();
  }
}

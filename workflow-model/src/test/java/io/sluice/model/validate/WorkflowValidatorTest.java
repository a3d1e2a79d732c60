package io.sluice.model.validate;

import static io.sluice.testing.Definitions.parse;
import static io.sluice.testing.Definitions.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowValidatorTest {

  private static List<String> problems(String yaml) {
    return validate(parse(yaml)).stream().map(Problem::toString).toList();
  }

  @Test
  void aValidGraphHasNoProblems() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: ok
                functions: {f: {runtime: synthetic}}
                nodes:
                  - {id: a, type: task, function: f, next: [b, c]}
                  - {id: b, type: task, function: f, next: d}
                  - {id: c, type: task, function: f, next: d}
                  - {id: d, type: pass, join: 2}
                """))
        .isEmpty();
  }

  @Test
  void danglingTargetsNameTheLineThatWroteThem() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: dangling
                nodes:
                  - {id: a, type: pass, next: ghost}
                  - id: s
                    type: switch
                    cases:
                      - when: .x
                        next: nowhere
                    default: a
                  - id: t
                    type: pass
                    catch:
                      - errors: [X]
                        next: lost
                """))
        .containsExactly(
            "test.yaml:4: a: next 'ghost' is not a node of this workflow",
            "test.yaml:8: s: switch target 'nowhere' is not a node of this workflow",
            "test.yaml:14: t: catch target 'lost' is not a node of this workflow");
  }

  @Test
  void cyclesNameTheirNodes() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: cyclic
                nodes:
                  - {id: a, type: pass, next: b}
                  - {id: b, type: pass, next: c}
                  - {id: c, type: pass, next: [b, d]}
                  - {id: d, type: pass, next: d}
                """))
        .containsExactly(
            "test.yaml:5: b: cycle through nodes b, c: the graph must be acyclic; repeat steps"
                + " with a loop node",
            "test.yaml:7: d: cycle through nodes d: the graph must be acyclic; repeat steps with"
                + " a loop node");
  }

  @Test
  void unreachableFromStartOrFromAnyEntry() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: islands
                start: a
                nodes:
                  - {id: a, type: pass}
                  - {id: b, type: pass}
                """))
        .containsExactly("test.yaml:6: b: unreachable: no path from start [a] leads here");
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: ring
                nodes:
                  - {id: a, type: pass}
                  - {id: b, type: pass, next: c}
                  - {id: c, type: pass, next: b}
                """))
        .contains(
            "test.yaml:5: b: unreachable: no path from any entry node leads here",
            "test.yaml:6: c: unreachable: no path from any entry node leads here");
  }

  @Test
  void unknownFunctionsUnlessDeclaredOrKnown() {
    WorkflowGraph g =
        parse(
            """
            sluice: "1.0"
            name: fns
            functions: {mine: {runtime: java}}
            nodes:
              - {id: a, type: task, function: mine, next: b}
              - {id: b, type: task, function: registered, next: c}
              - {id: c, type: task, function: nobody}
            """);
    assertThatThrownBy(() -> new WorkflowValidator().requireValid(g, "registered"::equals))
        .isInstanceOf(io.sluice.model.DefinitionException.class)
        .hasMessage(
            "test.yaml:7: c: unknown function 'nobody': declare it in the workflow's functions or"
                + " the function registry");
    assertThat(new WorkflowValidator().validate(g, "registered"::equals))
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:7: c: unknown function 'nobody': declare it in the workflow's functions or"
                + " the function registry");
  }

  @Test
  void badJqNamesTheNodeAndLineInEveryExpressionContext() {
    List<String> p =
        problems(
            """
            sluice: "1.0"
            name: jq
            output: .[
            nodes:
              - id: a
                type: pass
                input: '{a:'
                output: ')'
                next: s
              - id: s
                type: switch
                cases: [{when: '.x >', next: m}]
              - {id: m, type: map, items: '.[', iterator: {nodes: [{id: i, type: pass}]}, next: l}
              - {id: l, type: loop, body: {nodes: [{id: i, type: pass}]}, while: '(', next: e}
              - {id: e, type: event, eventType: t, correlation: '.data ==='}
            """);
    assertThat(p).hasSize(7);
    assertThat(p.get(0)).startsWith("test.yaml:3: -: bad jq expression in workflow output: ");
    assertThat(p.get(1))
        .startsWith("test.yaml:7: a: bad jq expression in input: bad jq expression '{a:'");
    assertThat(p.get(2)).startsWith("test.yaml:8: a: bad jq expression in output: ");
    assertThat(p.get(3)).startsWith("test.yaml:12: s: bad jq expression in switch case: ");
    assertThat(p.get(4)).startsWith("test.yaml:13: m: bad jq expression in items: ");
    assertThat(p.get(5)).startsWith("test.yaml:14: l: bad jq expression in while: ");
    assertThat(p.get(6)).startsWith("test.yaml:15: e: bad jq expression in correlation: ");
  }

  @Test
  void switchWithoutCasesImpossibleJoinsAndEndsWithSuccessors() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: s
                nodes:
                  - {id: s, type: switch, default: a}
                  - {id: a, type: pass, join: 3}
                  - {id: e, type: end, next: a}
                """))
        .containsExactly(
            "test.yaml:4: s: switch has no cases; add at least one {when, next}",
            "test.yaml:5: a: join waits for 3 results but only 2 edges lead here",
            "test.yaml:6: e: an end node ends its path: remove its 'next'");
  }

  @Test
  void innerGraphsAreCheckedWithTheOuterNodeInTheirNames() {
    assertThat(
            problems(
                """
                sluice: "1.0"
                name: outer
                functions: {f: {runtime: java}}
                nodes:
                  - id: each
                    type: map
                    items: .xs
                    iterator:
                      nodes:
                        - {id: p, type: task, function: f, next: q}
                        - {id: q, type: task, function: g}
                    next: sub
                  - id: sub
                    type: subworkflow
                    workflow:
                      nodes:
                        - id: again
                          type: loop
                          while: .more
                          body: {nodes: [{id: x, type: pass, next: y}]}
                """))
        .containsExactly(
            "test.yaml:11: each/q: unknown function 'g': declare it in the workflow's functions"
                + " or the function registry",
            "test.yaml:20: sub/again/x: next 'y' is not a node of this workflow");
  }

  @Test
  void edgesThatNoDeclarationExplains() {
    Map<String, Node> nodes = new LinkedHashMap<>();
    nodes.put("a", new PassNode("a", null));
    nodes.put("b", new PassNode("b", null));
    WorkflowGraph g =
        new WorkflowGraph(
            "raw",
            "1",
            nodes,
            List.of(
                new Edge("a", "b", Edge.Kind.BRANCH),
                new Edge("a", "b", Edge.Kind.CATCH),
                Edge.next("zz", "b")),
            List.of("nope"),
            Map.of(),
            null,
            null);
    assertThat(validate(g))
        .extracting(Problem::toString)
        .containsExactly(
            "<unknown>:0: -: start 'nope' is not a node of this workflow",
            "<unknown>:0: a: BRANCH edge to 'b' matches no switch case or default of this node",
            "<unknown>:0: a: CATCH edge to 'b' matches no catch entry of this node",
            "<unknown>:0: zz: edge to 'b' leaves unknown node 'zz'",
            "<unknown>:0: a: unreachable: no path from start [nope] leads here",
            "<unknown>:0: b: unreachable: no path from start [nope] leads here");
  }

  @Test
  void tenThousandNodesInAChainAWideFanOutAndOneBigCycle() {
    int n = 10_000;
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> chain = new ArrayList<>();
    List<Edge> wide = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.put("n" + i, new TaskNode("n" + i, "f", null));
      if (i > 0) {
        chain.add(Edge.next("n" + (i - 1), "n" + i));
        wide.add(Edge.next("n0", "n" + i));
      }
    }
    WorkflowValidator v = new WorkflowValidator();
    WorkflowGraph g = new WorkflowGraph("chain", "1", nodes, chain, null, null, null, null);
    assertThat(v.validate(g, f -> true)).isEmpty();
    WorkflowGraph w = new WorkflowGraph("wide", "1", nodes, wide, null, null, null, null);
    assertThat(v.validate(w, f -> true)).isEmpty();
    List<Edge> ring = new ArrayList<>(chain);
    ring.add(Edge.next("n" + (n - 1), "n1"));
    WorkflowGraph r = new WorkflowGraph("ring", "1", nodes, ring, null, null, null, null);
    assertThat(v.validate(r, f -> true))
        .extracting(Problem::message)
        .containsExactly(
            "cycle through nodes n1, n2, n3, n4, n5, n6, n7, n8, n9, n10 and 9989 more: the graph"
                + " must be acyclic; repeat steps with a loop node");
  }
}

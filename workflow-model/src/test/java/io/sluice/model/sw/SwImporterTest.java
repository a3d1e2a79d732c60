package io.sluice.model.sw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.DefinitionException;
import io.sluice.model.LoopNode;
import io.sluice.model.Problem;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection, the graph the importer builds, and the problems it reports at their lines. */
class SwImporterTest {
  private static final String HEAD =
      "document:\n  dsl: '1.0.2'\n  namespace: test\n  name: demo\n  version: '0.1.0'\n";

  private static WorkflowGraph load(String body) {
    return new WorkflowLoader().load("demo.yaml", HEAD + body);
  }

  private static List<String> problems(String body) {
    try {
      load(body);
    } catch (DefinitionException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("no problems");
  }

  @Test
  void isDetectedFromDocumentDslAndTranslatedIntoAValidGraph() {
    WorkflowGraph g =
        load(
            """
            do:
              - pick:
                  switch:
                    - big: {when: .n > 10, then: shout}
                    - other: {then: exit}
              - quiet: {set: {v: low}, then: end}
              - shout: {set: {v: high}}
              - each:
                  for: {each: x, in: .xs}
                  do: [{inner: {set: {x: '${ $x }'}}}]
              - guarded:
                  try: [{boom: {raise: {error: {type: t, status: 500}}}}]
                  catch: {do: [{handle: {set: {ok: true}}}]}
            """);
    assertThat(g.name()).isEqualTo("demo");
    assertThat(g.version()).isEqualTo("0.1.0");
    assertThat(g.start()).containsExactly("pick");
    assertThat(g.node("pick")).isInstanceOf(SwitchNode.class);
    assertThat(g.node("each")).isInstanceOf(LoopNode.class);
    assertThat(g.node("guarded")).isInstanceOf(SubWorkflowNode.class);
    assertThat(g.node("guarded").options().catchers()).hasSize(1);
    assertThat(new WorkflowValidator().validate(g, f -> true)).isEmpty();
  }

  @Test
  void tasksNoFlowReachesAreLeftOut() {
    WorkflowGraph g = load("do:\n  - a: {set: {x: 1}, then: end}\n  - b: {set: {x: 2}}\n");
    assertThat(g.nodes()).containsOnlyKeys("a");
  }

  @Test
  void otherDslVersionsAreRefusedAtTheirLine() {
    assertThatThrownBy(
            () ->
                new WorkflowLoader().load("old.yaml", "document: {dsl: '0.8', name: x}\ndo: []\n"))
        .hasMessageContaining("old.yaml:1: -: document.dsl '0.8' is not supported");
  }

  @Test
  void whatIsNotSupportedIsReportedAtItsLineNamingTheTask() {
    assertThat(
            problems(
                """
                schedule: {every: PT0S}
                do:
                  - fetch:
                      call: openapi
                      with: {document: {endpoint: x}, operationId: y}
                  - later:
                      run: {workflow: {namespace: a, name: b, version: '1'}}
                  - keep:
                      set: {a: 1}
                      export: {as: '${ . }', schema: {document: {}}}
                """))
        .containsExactly(
            "demo.yaml:6: -: schedule.every: the duration must be positive",
            "demo.yaml:8: task fetch: call: openapi is not supported",
            "demo.yaml:11: task later: run: workflow a/b:1 not found among the definitions beside"
                + " this one ("
                + java.nio.file.Path.of("demo.yaml").toAbsolutePath().getParent()
                + ")",
            "demo.yaml:13: task keep: export.schema is not supported");
  }

  @Test
  void flowMistakesAreProblemsToo() {
    assertThat(problems("do:\n  - a: {set: {x: 1}, then: nowhere}\n  - b: {frobnicate: {}}\n"))
        .containsExactly(
            "demo.yaml:7: task a: then: 'nowhere' names no task of the same list",
            "demo.yaml:8: task b: no task kind: expected one of call, do, emit, for, fork, listen,"
                + " raise, run, set, switch, try, wait");
  }

  @Test
  void aBadRuntimeExpressionIsTheValidatorsProblemAtTheTasksLine() {
    WorkflowGraph g = load("do:\n  - a: {set: {x: '${ .x + }'}}\n");
    List<Problem> p = new WorkflowValidator().validate(g, f -> true);
    assertThat(p).hasSize(1);
    assertThat(p.get(0).toString()).startsWith("demo.yaml:7: a: bad jq expression");
  }

  @Test
  void theTranslationRoundTripsThroughTheNativeFormat() {
    // a cluster ships graphs in the native format (SluiceClient registers NativeWriter's YAML)
    WorkflowGraph g =
        load(
            """
            timeout: {after: PT1M}
            input: {schema: {format: json, document: {type: object}}}
            do:
              - get: {call: http, with: {method: get, endpoint: 'http://127.0.0.1:1/x/{id}'}}
              - each: {for: {in: .xs}, do: [{s: {set: {v: '${ $item }'}}}]}
              - guarded:
                  try: [{w: {wait: {seconds: 1}}}]
                  catch: {errors: {with: {status: 408}}, retry: {limit: {attempt: {count: 1}}}}
              - both: {fork: {compete: true, branches: [{a: {set: {a: 1}}}, {b: {set: {b: 2}}}]}}
            """);
    WorkflowGraph back =
        new WorkflowLoader().load("back.yaml", io.sluice.model.format.NativeWriter.toYaml(g));
    assertThat(io.sluice.model.format.NativeWriter.toYaml(back))
        .isEqualTo(io.sluice.model.format.NativeWriter.toYaml(g));
    WorkflowGraph inner = ((SubWorkflowNode) g.node("__workflow")).workflow();
    WorkflowGraph innerBack = ((SubWorkflowNode) back.node("__workflow")).workflow();
    for (String id : inner.nodes().keySet()) {
      assertThat(innerBack.node(id)).as(id).isEqualTo(inner.node(id));
    }
    assertThat(innerBack.functions()).isEqualTo(inner.functions());
    assertThat(innerBack.output()).isEqualTo(inner.output());
    assertThat(innerBack.start()).isEqualTo(inner.start());
    assertThat(new java.util.HashSet<>(innerBack.edges()))
        .isEqualTo(new java.util.HashSet<>(inner.edges()));
    assertThat(back).isEqualTo(g);
  }
}

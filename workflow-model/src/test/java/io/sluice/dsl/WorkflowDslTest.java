package io.sluice.dsl;

import static io.sluice.dsl.Steps.choice;
import static io.sluice.dsl.Steps.end;
import static io.sluice.dsl.Steps.fail;
import static io.sluice.dsl.Steps.loop;
import static io.sluice.dsl.Steps.map;
import static io.sluice.dsl.Steps.onEvent;
import static io.sluice.dsl.Steps.parallel;
import static io.sluice.dsl.Steps.pass;
import static io.sluice.dsl.Steps.sequence;
import static io.sluice.dsl.Steps.step;
import static io.sluice.dsl.Steps.subWorkflow;
import static io.sluice.dsl.Steps.task;
import static io.sluice.dsl.Steps.waitFor;
import static io.sluice.testing.Definitions.parse;
import static io.sluice.testing.Definitions.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.Join;
import io.sluice.model.RetryPolicy;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every DSL construct builds the same graph as its native-format twin. */
class WorkflowDslTest {
  private static final String HEAD = "sluice: '1.0'\nname: w\n";

  private static Workflow w() {
    return Workflow.named("w");
  }

  @Test
  void sequenceOfTasksIsAChainOfNextEdges() {
    WorkflowGraph g =
        w().function("f", "synthetic", Map.of("computeMs", 5))
            .steps(task("a", "f"), task("b", "f"), task("c", "f"))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                functions: {f: {runtime: synthetic, computeMs: 5}}
                nodes:
                  - {id: a, type: task, function: f, next: b}
                  - {id: b, type: task, function: f, next: c}
                  - {id: c, type: task, function: f}
                """));
    assertThat(g.edges()).containsExactly(Edge.next("a", "b"), Edge.next("b", "c"));
    assertThat(validate(g)).isEmpty();
  }

  @Test
  void parallelFansOutAndTheNextStepJoinsEveryBranch() {
    WorkflowGraph g =
        w().steps(
                task("a", "f"),
                parallel(task("b", "f"), sequence(task("c1", "f"), task("c2", "f"))),
                task("d", "f"))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - {id: a, type: task, function: f, next: [b, c1]}
                  - {id: b, type: task, function: f, next: d}
                  - {id: c1, type: task, function: f, next: c2}
                  - {id: c2, type: task, function: f, next: d}
                  - {id: d, type: task, function: f}
                """));
  }

  @Test
  void choiceBranchesAllLinkToTheNextStep() {
    WorkflowGraph g =
        w().steps(
                choice("route")
                    .when(".x > 1", task("big", "fb"))
                    .when(".x > 0", sequence(task("mid", "fb"), task("mid2", "fb")))
                    .otherwise(task("small", "fc")),
                task("after", "fc"))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - id: route
                    type: switch
                    cases:
                      - {when: .x > 1, next: big}
                      - {when: .x > 0, next: mid}
                    default: small
                  - {id: big, type: task, function: fb, next: after}
                  - {id: mid, type: task, function: fb, next: mid2}
                  - {id: mid2, type: task, function: fb, next: after}
                  - {id: small, type: task, function: fc, next: after}
                  - {id: after, type: task, function: fc}
                """));
    assertThat(g.edges()).contains(new Edge("route", "big", Edge.Kind.BRANCH));
  }

  @Test
  void aChoiceBranchMustStartWithOneStep() {
    assertThatThrownBy(
            () ->
                w().steps(choice("r").when(".x", parallel(task("a", "f"), task("b", "f")))).build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("a branch of choice 'r' must start with one step");
  }

  @Test
  void mapWithAStepIteratorOrAFunctionShorthand() {
    WorkflowGraph g =
        w().steps(
                map("each", ".items", sequence(task("p", "fp"), task("q", "fp"))).maxConcurrency(4),
                map("quick", ".items", "fp"))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - id: each
                    type: map
                    items: .items
                    maxConcurrency: 4
                    iterator:
                      nodes:
                        - {id: p, type: task, function: fp, next: q}
                        - {id: q, type: task, function: fp}
                    next: quick
                  - {id: quick, type: map, items: .items, function: fp}
                """));
    assertThat(((io.sluice.model.MapNode) g.node("quick")).iterator().node("quick"))
        .isEqualTo(new TaskNode("quick", "fp", null));
  }

  @Test
  void loopWithBodyConditionAndBound() {
    WorkflowGraph g =
        w().steps(
                loop("again", task("body", "f")).whileTrue(".more").maxIterations(5),
                loop("spin", "f").whileTrue("$iteration < 2"))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - id: again
                    type: loop
                    body: {nodes: [{id: body, type: task, function: f}]}
                    while: .more
                    maxIterations: 5
                    next: spin
                  - {id: spin, type: loop, function: f, while: $iteration < 2}
                """));
    assertThatThrownBy(() -> w().steps(loop("x", "f")).build())
        .hasMessageContaining("needs whileTrue");
  }

  @Test
  void waitEventAndEnds() {
    WorkflowGraph g =
        w().steps(
                waitFor("pause", Duration.ofSeconds(1)),
                onEvent("approval", "com.example.approved").correlate(".data.id == $input.id"),
                choice("ok")
                    .when(".data.ok", end("done"))
                    .otherwise(fail("nope", "Rejected", "none")))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - {id: pause, type: wait, duration: PT1S, next: approval}
                  - id: approval
                    type: event
                    eventType: com.example.approved
                    correlation: .data.id == $input.id
                    next: ok
                  - {id: ok, type: switch, cases: [{when: .data.ok, next: done}], default: nope}
                  - {id: done, type: end}
                  - {id: nope, type: end, fail: true, error: Rejected, cause: none}
                """));
  }

  @Test
  void nothingMayFollowAnEnd() {
    assertThatThrownBy(() -> w().steps(end("done"), task("later", "f")).build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("later: this step follows a step that ends every path");
  }

  @Test
  void aWorkflowIsItselfAStep() {
    WorkflowGraph child =
        Workflow.named("child").function("f", "java").steps(task("inner", "f")).build();
    WorkflowGraph g =
        w().steps(
                step(child),
                subWorkflow("again", child),
                step(Workflow.named("x").steps(pass("p"))))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - id: child
                    type: subworkflow
                    workflow:
                      functions: {f: {runtime: java}}
                      nodes: [{id: inner, type: task, function: f}]
                    next: again
                  - id: again
                    type: subworkflow
                    workflow:
                      name: child
                      functions: {f: {runtime: java}}
                      nodes: [{id: inner, type: task, function: f}]
                    next: x
                  - {id: x, type: subworkflow, workflow: {nodes: [{id: p, type: pass}]}}
                """));
  }

  @Test
  void nodeOptionsRetryTimeoutCatchJoinHintsAndMappings() {
    WorkflowGraph g =
        w().steps(
                task("a", "f")
                    .input("{x: $workflow.x}")
                    .output("{y: .}")
                    .retry(3, Duration.ofMillis(100))
                    .timeout(Duration.ofSeconds(2))
                    .hints(new Hints(Duration.ofMillis(20), 1000, 256_000_000, 0.5))
                    .catchError(List.of("Timeout"), task("fallback", "f")),
                task("b", "f")
                    .retry(
                        new RetryPolicy(
                            4,
                            Duration.ofMillis(10),
                            3.0,
                            Duration.ofSeconds(1),
                            0.2,
                            List.of("X")))
                    .catchAny(end("stop"))
                    .join(new Join(1)))
            .build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                nodes:
                  - id: a
                    type: task
                    function: f
                    input: '{x: $workflow.x}'
                    output: '{y: .}'
                    retry: {maxAttempts: 3, backoff: 100ms}
                    timeout: 2s
                    hints: {computeMs: 20, outputBytes: 1000, memory: 256MB, cores: 0.5}
                    catch: [{errors: [Timeout], next: fallback}]
                    next: b
                  - {id: fallback, type: task, function: f, next: b}
                  - id: b
                    type: task
                    function: f
                    join: any
                    retry:
                      maxAttempts: 4
                      initialBackoff: 10ms
                      multiplier: 3
                      maxBackoff: 1s
                      jitter: 0.2
                      retryOn: [X]
                    catch: [{next: stop}]
                  - {id: stop, type: end}
                """));
    assertThat(g.edges()).contains(new Edge("a", "fallback", Edge.Kind.CATCH));
    assertThat(new io.sluice.model.validate.WorkflowValidator().validate(g, "f"::equals)).isEmpty();
  }

  @Test
  void duplicateStepIdsAreRejected() {
    assertThatThrownBy(() -> w().steps(task("a", "f"), task("a", "g")).build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("<dsl:w>:0: a: duplicate step id 'a'");
  }

  @Test
  void versionOutputAndStart() {
    WorkflowGraph g = w().version("7").start("a").output("{r: .}").steps(task("a", "f")).build();
    assertThat(g)
        .isEqualTo(
            parse(
                HEAD
                    + """
                version: "7"
                start: a
                output: '{r: .}'
                nodes: [{id: a, type: task, function: f}]
                """));
  }
}

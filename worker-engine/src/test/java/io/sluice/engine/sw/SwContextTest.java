package io.sluice.engine.sw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code export.as} and {@code $context} on the embedded engine: the context threads through
 * sequences, function calls (which never see it), switch conditions, for loops, forks, try and
 * catch; the instance output never shows the envelope.
 */
class SwContextTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static SystemScheduler scheduler;
  private static FunctionRuntimes runtimes;
  private static WorkflowEngine engine;

  @BeforeAll
  static void start() {
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    ObjectNode failing = M.createObjectNode().put("failAttempts", 1000).put("failType", "Boom");
    engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes)
                .withThreads(2)
                .withRegistry(
                    Map.of(
                        "failing", new FunctionDef("failing", "synthetic", failing, null),
                        "echo", new FunctionDef("echo", "synthetic", M.createObjectNode(), null))),
            c -> {
              if (c.active()) {
                WAITING.add(c.waitId());
              } else {
                WAITING.remove(c.waitId());
              }
            });
  }

  private static final java.util.Set<String> WAITING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @AfterAll
  static void stop() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  static final String HEAD =
      "document: {dsl: '1.0.0', namespace: test, name: t, version: '1.0.0'}\n";

  private static String startOf(String body, String input) throws Exception {
    return engine.start(
        engine.deploy(new WorkflowLoader().load("t.yaml", HEAD + body)), M.readTree(input));
  }

  private static JsonNode ok(String body, String input) throws Exception {
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load("t.yaml", HEAD + body)), M.readTree(input));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s.output();
  }

  @Test
  void exportsChainAndEveryLaterExpressionSeesTheContext() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - a:
                  set: {x: 1}
                  export: {as: '${ {first: .x} }'}
              - b:
                  set: {y: 2}
                  export: {as: '${ $context + {second: .y} }'}
              - c:
                  set: {ctx: '${ $context }', y: '${ .y }'}
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"ctx\": {\"first\": 1, \"second\": 2}, \"y\": 2}"));
  }

  @Test
  void exportSeesTheTransformedOutputAndReplacesTheContext() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - a:
                  set: {x: 1, keep: true}
                  export: {as: '${ {old: 1} }'}
              - b:
                  set: {x: 5}
                  output: {as: '${ {doubled: (.x * 2)} }'}
                  export: {as: '${ {d: .doubled} }'}
              - c:
                  set: '${ $context }'
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"d\": 10}"));
  }

  @Test
  void aFunctionCallNeverSeesTheEnvelopeAndTheContextSurvivesIt() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - a:
                  set: {n: 1}
                  export: {as: '${ {n: .n} }'}
              - call1:
                  call: echo
                  with: {x: '${ .n + $context.n }'}
                  output: {as: '${ {got: $input, ctx: $context} }'}
                  export: {as: '${ $context + {called: true} }'}
              - c:
                  set: {got: '${ .got }', ctx: '${ $context }'}
            """,
            "{}");
    assertThat(out.get("got")).isEqualTo(M.readTree("{\"x\": 2}"));
    assertThat(out.get("ctx")).isEqualTo(M.readTree("{\"n\": 1, \"called\": true}"));
  }

  @Test
  void aSwitchConditionReadsTheContext() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - a:
                  set: {}
                  export: {as: '${ {mode: "fast"} }'}
              - pick:
                  switch:
                    - fast: {when: '${ $context.mode == "fast" }', then: quick}
                    - other: {then: slow}
              - slow:
                  set: {path: slow}
                  then: end
              - quick:
                  set: {path: quick}
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"path\": \"quick\"}"));
  }

  @Test
  void exportsInsideAForBodyAccumulateAcrossRoundsAndLeaveTheLoop() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - init:
                  set: {items: [1, 2, 3]}
                  export: {as: '${ {sum: 0} }'}
              - loop:
                  for: {in: '${ .items }', each: it}
                  do:
                    - add:
                        set: {last: '${ $it }'}
                        export: {as: '${ {sum: ($context.sum + $it)} }'}
              - done:
                  set: {sum: '${ $context.sum }'}
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"sum\": 6}"));
  }

  @Test
  void eachForkBranchStartsFromTheForkContextAndTheLastBranchWinsAtTheJoin() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - init:
                  set: {}
                  export: {as: '${ {base: 1} }'}
              - both:
                  fork:
                    branches:
                      - left:
                          set: {seen: '${ $context }'}
                          export: {as: '${ $context + {left: true} }'}
                      - right:
                          set: {seen: '${ $context }'}
                          export: {as: '${ $context + {right: true} }'}
              - after:
                  set: {branches: '${ . }', ctx: '${ $context }'}
            """,
            "{}");
    assertThat(out.get("branches"))
        .isEqualTo(M.readTree("[{\"seen\": {\"base\": 1}}, {\"seen\": {\"base\": 1}}]"));
    assertThat(out.get("ctx")).isEqualTo(M.readTree("{\"base\": 1, \"right\": true}"));
  }

  @Test
  void exportsInACatchReachTheTasksAfterItButATriedBlockThatFailedLosesItsExports()
      throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - guarded:
                  try:
                    - before:
                        set: {}
                        export: {as: '${ {stage: "try"} }'}
                    - boom:
                        call: failing
                  catch:
                    errors: {with: {status: 500}}
                    do:
                      - recover:
                          set: {seen: '${ $context }', detail: '${ $error.detail }'}
                          export: {as: '${ $context + {recovered: true} }'}
              - after:
                  set: {seen: '${ .seen }', detail: '${ .detail }', ctx: '${ $context }'}
            """,
            "{}");
    // the catch starts from the context the try started with (a documented limit): the error
    // carries the try's input, not the context of the block that failed
    assertThat(out.get("seen")).isEqualTo(M.readTree("{}"));
    // the wrapped call's node id appears once, as for a call that is not wrapped
    assertThat(out.get("detail").asText()).startsWith("boom: ").doesNotContain("boom: boom:");
    assertThat(out.get("ctx")).isEqualTo(M.readTree("{\"recovered\": true}"));
  }

  @Test
  void theTaskExportOfATryAppliesToItsOutput() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - guarded:
                  try:
                    - inner:
                        set: {v: 7}
                  catch:
                    do:
                      - never:
                          set: {v: 0}
                  export: {as: '${ {v: .v} }'}
              - after:
                  set: '${ $context }'
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"v\": 7}"));
  }

  @Test
  void theWorkflowOutputCanReadTheContextAndNeverShowsTheEnvelope() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - a:
                  set: {x: 1}
                  export: {as: '${ {tag: "t"} }'}
            output:
              as: '${ {x: .x, tag: $context.tag} }'
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"x\": 1, \"tag\": \"t\"}"));
    JsonNode plain =
        ok(
            """
            do:
              - a:
                  set: {x: 1}
                  export: {as: '${ {tag: "t"} }'}
            """,
            "{}");
    assertThat(plain).isEqualTo(M.readTree("{\"x\": 1}"));
  }

  @Test
  void aWorkflowTimeoutKeepsTheThreadingInsideItsSubWorkflow() throws Exception {
    JsonNode out =
        ok(
            """
            timeout: {after: PT30S}
            do:
              - a:
                  set: {x: 1}
                  export: {as: '${ {x: .x} }'}
              - b:
                  set: {ctx: '${ $context }'}
            """,
            "{}");
    assertThat(out).isEqualTo(M.readTree("{\"ctx\": {\"x\": 1}}"));
  }

  @Test
  void withoutAnExportTheContextIsEmptyAndNothingIsWrapped() throws Exception {
    JsonNode out = ok("do:\n  - a: {set: {ctx: '${ $context }'}}\n", "{}");
    assertThat(out).isEqualTo(M.readTree("{\"ctx\": {}}"));
    var g = new WorkflowLoader().load("t.yaml", HEAD + "do:\n  - a: {call: echo}\n");
    assertThat(g.node("a").kind()).isEqualTo("task");
  }

  @Test
  void aListenKeepsTheContextAcrossTheWaitAndCanExportTheEvent() throws Exception {
    String listener =
        startOf(
            """
            do:
              - a:
                  set: {}
                  export: {as: '${ {who: "ann"} }'}
              - paid:
                  listen: {to: {one: {with: {type: ctx.paid}}}}
                  export: {as: '${ $context + {amount: .[0].amount} }'}
              - done:
                  set: '${ $context }'
            """,
            "{}");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> WAITING.stream().anyMatch(w -> w.startsWith(listener + "/")));
    ok(
        """
        do:
          - pay:
              emit: {event: {with: {type: ctx.paid, source: 'test://t', data: {amount: 5}}}}
        """,
        "{}");
    InstanceStatus s = engine.completion(listener).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output()).isEqualTo(M.readTree("{\"who\": \"ann\", \"amount\": 5}"));
  }

  @Test
  void theContextExampleRuns() throws Exception {
    java.nio.file.Path file =
        java.nio.file.Path.of("..", "examples", "serverless-workflow", "context.yaml");
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load(file)), M.readTree("{\"items\": [3, 4, 5]}"));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output())
        .isEqualTo(M.readTree("{\"size\": \"big\", \"total\": 12, \"count\": 3}"));
  }
}

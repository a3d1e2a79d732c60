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
import io.sluice.model.sw.SwErrors;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serverless Workflow constructs the conformance kit does not cover (or covers only with network
 * calls), run on the embedded engine: try/catch with filters, retries and re-raise, named errors,
 * fork without compete, for with while, if guards, then jumps, input schema, wait, a registry
 * function call.
 */
class SwEngineTest {
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
                        "echo", new FunctionDef("echo", "synthetic", M.createObjectNode(), null))));
  }

  @AfterAll
  static void stop() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  static final String HEAD =
      "document: {dsl: '1.0.0', namespace: test, name: t, version: '1.0.0'}\n";

  private static InstanceStatus run(String body, String input) throws Exception {
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load("t.yaml", HEAD + body)), M.readTree(input));
    return engine.completion(id).get(30, TimeUnit.SECONDS);
  }

  private static JsonNode ok(String body, String input) throws Exception {
    InstanceStatus s = run(body, input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s.output();
  }

  private static JsonNode fault(String body, String input) throws Exception {
    InstanceStatus s = run(body, input);
    assertThat(s.state()).as(String.valueOf(s.output())).isEqualTo(InstanceState.FAILED);
    return SwErrors.decode(s.error().type(), s.error().message());
  }

  @Test
  void aRaisedErrorIsCaughtByTypeAndStatusAndBoundUnderItsName() throws Exception {
    JsonNode out =
        ok(
            """
            use:
              errors:
                notFound: {type: 'https://example.com/not-found', status: 404, title: Not found}
            do:
              - guarded:
                  try:
                    - first: {set: {a: 1}}
                    - boom: {raise: {error: notFound}}
                  catch:
                    errors: {with: {type: 'https://example.com/not-found', status: 404}}
                    as: oops
                    do:
                      - handle: {set: {caught: '${ $oops }', seen: '${ .x }'}}
            """,
            "{\"x\": 7}");
    assertThat(out.get("seen").asInt()).isEqualTo(7);
    assertThat(out.at("/caught/status").asInt()).isEqualTo(404);
    assertThat(out.at("/caught/title").asText()).isEqualTo("Not found");
    assertThat(out.at("/caught/instance").asText()).isEqualTo("/do/0/guarded/try/1/boom");
  }

  @Test
  void anErrorTheFilterRejectsIsRaisedAgainWithItsObject() throws Exception {
    JsonNode err =
        fault(
            """
            do:
              - guarded:
                  try:
                    - boom:
                        raise:
                          error: {type: 'https://example.com/a', status: 500, detail: '${ "x=\\(.x)" }'}
                  catch:
                    errors: {with: {status: 404}}
            """,
            "{\"x\": 3}");
    assertThat(err.get("type").asText()).isEqualTo("https://example.com/a");
    assertThat(err.get("status").asInt()).isEqualTo(500);
    assertThat(err.get("detail").asText()).isEqualTo("x=3");
    assertThat(err.get("instance").asText()).isEqualTo("/do/0/guarded/try/0/boom");
  }

  @Test
  void whenAndExceptWhenDecideWhatACatchTakes() throws Exception {
    String wf =
        """
        do:
          - guarded:
              try:
                - boom: {raise: {error: {type: 'https://example.com/a', status: 400}}}
              catch:
                when: '${ .allow }'
                exceptWhen: '${ $error.status == .deny }'
                do:
                  - handled: {set: {handled: true}}
        """;
    assertThat(ok(wf, "{\"allow\": true, \"deny\": 0}").get("handled").asBoolean()).isTrue();
    assertThat(fault(wf, "{\"allow\": false, \"deny\": 0}").get("status").asInt()).isEqualTo(400);
    assertThat(fault(wf, "{\"allow\": true, \"deny\": 400}").get("status").asInt()).isEqualTo(400);
  }

  @Test
  void aCatchRetriesTheTryBlockUpToItsLimitThenTheErrorGoesOn() throws Exception {
    InstanceStatus s =
        run(
            """
            use:
              retries:
                twice: {delay: PT0.01S, backoff: {constant: {}}, limit: {attempt: {count: 2}}}
            do:
              - guarded:
                  try:
                    - work: {call: failing}
                  catch:
                    errors: {with: {status: 999}}
                    retry: twice
            """,
            "{}");
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.invocations()).isEqualTo(3);
    JsonNode err = SwErrors.decode(s.error().type(), s.error().message());
    assertThat(err.get("type").asText()).isEqualTo(SwErrors.TYPES + "runtime");
    assertThat(err.get("instance").asText()).isEqualTo("/do/0/guarded/try/0/work");
  }

  @Test
  void aRegistryFunctionIsCalledWithItsArguments() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - call1: {call: echo, with: {x: '${ .a + 1 }'}, output: {as: '${ {got: $input.x} }'}}
            """,
            "{\"a\": 1}");
    assertThat(out.get("got").asInt()).isEqualTo(2);
  }

  @Test
  void forThreadsItsDataThroughTheItemsAndStopsWhenWhileIsFalse() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - sum:
                  for: {each: n, in: '${ .numbers }', at: i}
                  while: '${ (.total // 0) < 5 }'
                  do:
                    - add: {set: {total: '${ (.total // 0) + $n }', last: '${ $i }'}}
                  output: {as: '${ . + {count: ($input.numbers | length)} }'}
            """,
            "{\"numbers\": [1, 2, 3, 4, 5]}");
    assertThat(out.get("total").asInt()).isEqualTo(6);
    assertThat(out.get("count").asInt()).isEqualTo(5);
    assertThat(out.get("last").asInt()).isEqualTo(2);
    assertThat(
            ok("do:\n  - each: {for: {in: .xs}, do: [{s: {set: {seen: true}}}]}\n", "{\"xs\": []}"))
        .isEqualTo(M.readTree("{\"xs\": []}"));
  }

  @Test
  void aForkWithoutCompeteGivesEveryBranchOutputInOrder() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - both:
                  fork:
                    branches:
                      - a: {set: {v: a}}
                      - b: {wait: {milliseconds: 20}}
                      - c: {set: {v: c}}
            """,
            "{\"in\": 1}");
    assertThat(out).isEqualTo(M.readTree("[{\"v\":\"a\"},{\"in\":1},{\"v\":\"c\"}]"));
  }

  @Test
  void ifSkipsATaskAndThenJumpsForward() throws Exception {
    String wf =
        """
        do:
          - maybe: {if: '${ .go }', set: {went: true}, then: last}
          - skipped: {set: {skipped: true}}
          - last: {set: {went: '${ .went // false }'}, output: {as: '${ . + {input: $input} }'}}
        """;
    assertThat(ok(wf, "{\"go\": true}").get("went").asBoolean()).isTrue();
    assertThat(ok(wf, "{\"go\": false}").get("went").asBoolean()).isFalse();
  }

  @Test
  void theInputSchemaIsCheckedAtStart() throws Exception {
    String wf =
        """
        input:
          schema:
            format: json
            document:
              type: object
              required: [name]
              properties: {name: {type: string}, age: {type: integer}}
          from: '${ {who: .name} }'
        do:
          - greet: {set: {greeting: '${ "hi " + .who }'}}
        output:
          as: .greeting
        """;
    assertThat(ok(wf, "{\"name\": \"ann\"}").asText()).isEqualTo("hi ann");
    JsonNode err = fault(wf, "{\"age\": 1.5}");
    assertThat(err.get("type").asText()).isEqualTo(SwErrors.TYPES + "validation");
    assertThat(err.get("detail").asText())
        .contains("missing required property name")
        .contains("input.age: expected integer");
  }

  @Test
  void workflowArgumentsAreBound() throws Exception {
    JsonNode out =
        ok(
            """
            do:
              - look:
                  set:
                    name: '${ $workflow.definition.document.name }'
                    wfin: '${ $workflow.input.a }'
                    task: '${ $task.reference }'
                    ctx: '${ $context }'
            """,
            "{\"a\": 5}");
    assertThat(out)
        .isEqualTo(M.readTree("{\"name\":\"t\",\"wfin\":5,\"task\":\"/do/0/look\",\"ctx\":{}}"));
  }

  @Test
  void aWaitWaits() throws Exception {
    InstanceStatus s = run("do:\n  - pause: {wait: PT0.05S}\n", "{\"k\": 1}");
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.elapsedNanos()).isGreaterThanOrEqualTo(50_000_000L);
  }

  @Test
  void theExampleRuns() throws Exception {
    java.nio.file.Path file =
        java.nio.file.Path.of(System.getProperty("sluice.root", ".."))
            .resolve("examples/serverless-workflow/order.yaml");
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load(file)),
            M.readTree(
                "{\"customer\": \"ann\", \"items\": [{\"sku\": \"a\", \"qty\": 2, \"price\": 5},"
                    + " {\"sku\": \"b\", \"qty\": 1, \"price\": 30}]}"));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output())
        .isEqualTo(M.readTree("{\"label\": \"to ann\", \"invoice\": 40, \"status\": \"shipped\"}"));
  }

  @Test
  void listenWaitsForAnEventOfItsTypeWhoseAttributesMatch() throws Exception {
    String id =
        engine.start(
            engine.deploy(
                new WorkflowLoader()
                    .load(
                        "t.yaml",
                        HEAD
                            + """
                            do:
                              - paid:
                                  listen:
                                    to:
                                      one:
                                        with: {type: order.paid, source: 'test://shop'}
                              - done: {set: {paid: '${ .[0].amount }'}}
                            """)),
            M.readTree("{}"));
    for (String source : new String[] {"test://elsewhere", "test://shop"}) {
      engine.deliver(
          io.cloudevents.core.builder.CloudEventBuilder.v1()
              .withId(source)
              .withSource(java.net.URI.create(source))
              .withType("order.paid")
              .withData(
                  "application/json",
                  ("{\"amount\": " + source.length() + "}")
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .build());
    }
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("paid").asInt()).isEqualTo("test://shop".length());
  }

  @Test
  void runWorkflowRunsTheDefinitionBesideItByNamespaceNameAndVersion(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    for (String v : new String[] {"1.0.0", "1.2.0", "1.10.0"}) {
      java.nio.file.Files.writeString(
          dir.resolve("child-" + v + ".yaml"),
          "document: {dsl: '1.0.0', namespace: lib, name: double, version: '"
              + v
              + "'}\n"
              + "do:\n  - twice: {set: {n: '${ .n * 2 }', v: '"
              + v
              + "'}}\n");
    }
    java.nio.file.Path parent = dir.resolve("parent.yaml");
    java.nio.file.Files.writeString(
        parent,
        HEAD
            + """
            do:
              - pinned:
                  run: {workflow: {namespace: lib, name: double, version: '1.2.0', input: {n: '${ .n + 1 }'}}}
              - latest:
                  run: {workflow: {namespace: lib, name: double}}
            """);
    String id =
        engine.start(engine.deploy(new WorkflowLoader().load(parent)), M.readTree("{\"n\": 1}"));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output()).isEqualTo(M.readTree("{\"n\": 8, \"v\": \"1.10.0\"}"));
  }

  @Test
  void taskAndWorkflowTimeoutsAreTheDslsTimeoutError() throws Exception {
    JsonNode caught =
        ok(
            """
            do:
              - guarded:
                  try:
                    - slow: {wait: PT5S, timeout: {after: PT0.05S}}
                  catch:
                    errors: {with: {type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout'}}
                    as: e
                    do: [{note: {set: {status: '${ $e.status }'}}}]
            """,
            "{}");
    assertThat(caught.get("status").asInt()).isEqualTo(408);
    JsonNode err =
        fault("timeout: {after: {milliseconds: 50}}\ndo:\n  - slow: {wait: PT5S}\n", "{}");
    assertThat(err.get("type").asText()).isEqualTo(SwErrors.TYPES + "timeout");
  }
}

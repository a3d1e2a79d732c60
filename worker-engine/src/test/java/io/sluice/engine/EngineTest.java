package io.sluice.engine;

import static io.sluice.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.EventTypes;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.Catcher;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.Join;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final TestFunctions fns = new TestFunctions();
  private SystemScheduler system;
  private WorkflowEngine engine;

  private WorkflowEngine engine(Scheduler s) {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(s)).register(fns);
    engine = WorkflowEngine.embedded(EngineOptions.of(rt).withThreads(2));
    return engine;
  }

  private WorkflowEngine engine() {
    system = new SystemScheduler(1);
    return engine(system);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (system != null) {
      system.close();
    }
  }

  private InstanceStatus run(WorkflowGraph g, JsonNode input) throws Exception {
    WorkflowEngine e = engine == null ? engine() : engine;
    String id = e.start(e.deploy(g), input);
    return e.completion(id).get(10, TimeUnit.SECONDS);
  }

  private static JsonNode json(String s) {
    try {
      return M.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static TaskNode task(String id, String fn) {
    return new TaskNode(id, fn, null);
  }

  private static TaskNode task(String id, String fn, NodeOptions o) {
    return new TaskNode(id, fn, o);
  }

  private TestFunctions add(String name, int delta) {
    return fns.fn(name, inv -> IntNode.valueOf(inv.input().asInt() + delta));
  }

  @Test
  void chainPassesEachOutputToTheNext() throws Exception {
    add("inc", 1);
    WorkflowGraph g =
        graph("chain")
            .fn("inc")
            .node(task("a", "inc"))
            .node(task("b", "inc"))
            .node(task("c", "inc"))
            .next("a", "b")
            .next("b", "c")
            .build();
    InstanceStatus s = run(g, IntNode.valueOf(1));
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asInt()).isEqualTo(4);
    assertThat(s.nodesExecuted()).isEqualTo(3);
    assertThat(s.invocations()).isEqualTo(3);
    List<CloudEvent> h = engine.history(s.instanceId());
    assertThat(h)
        .extracting(CloudEvent::getType)
        .containsExactly(
            EventTypes.INSTANCE_STARTED,
            EventTypes.NODE_COMPLETED,
            EventTypes.NODE_COMPLETED,
            EventTypes.NODE_COMPLETED,
            EventTypes.INSTANCE_COMPLETED);
    assertThat(h.get(1).getSubject()).isEqualTo(s.instanceId() + "/a");
    assertThat(h.get(1).getId()).isEqualTo(s.instanceId() + "/a/1/completed");
  }

  @Test
  void joinWaitsForAllBranchesAndKeysInputsByPredecessor() throws Exception {
    add("inc", 1);
    add("dec", -1);
    fns.fn(
        "sum", inv -> IntNode.valueOf(inv.input().get("b").asInt() + inv.input().get("c").asInt()));
    WorkflowGraph g =
        graph("join")
            .fn("inc")
            .fn("dec")
            .fn("sum")
            .node(task("a", "inc"))
            .node(task("b", "inc"))
            .node(task("c", "dec"))
            .node(task("d", "sum"))
            .next("a", "b", "c")
            .next("b", "d")
            .next("c", "d")
            .build();
    InstanceStatus s = run(g, IntNode.valueOf(10));
    assertThat(s.output().asInt()).isEqualTo(12 + 10);
  }

  @Test
  void theCriticalPathIsTheLongestChainOfComputeTheInstanceTook() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    for (String[] f : new String[][] {{"a", "10"}, {"b", "30"}, {"c", "5"}, {"d", "7"}}) {
      long ms = Long.parseLong(f[1]);
      fns.fn(
          "work" + f[0],
          inv -> {
            clock.advance(Duration.ofMillis(ms)); // the function "runs" for ms on the clock
            return IntNode.valueOf(1);
          });
    }
    WorkflowGraph g =
        graph("diamond")
            .fn("worka")
            .fn("workb")
            .fn("workc")
            .fn("workd")
            .node(task("a", "worka"))
            .node(task("b", "workb"))
            .node(task("c", "workc"))
            .node(task("d", "workd"))
            .next("a", "b", "c")
            .next("b", "d")
            .next("c", "d")
            .build();
    WorkflowEngine e = engine(clock);
    InstanceStatus s = e.completion(e.start(e.deploy(g), null)).get(10, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    // a -> b -> d, not a -> c -> d, and never the sum of all four (52 ms).
    assertThat(s.criticalPathComputeNanos()).isEqualTo(Duration.ofMillis(10 + 30 + 7).toNanos());
    assertThat(s.criticalPathDataNanos()).isZero();
    assertThat(s.elapsedNanos()).isEqualTo(Duration.ofMillis(52).toNanos());
  }

  private WorkflowGraph switchGraph() {
    add("inc", 1);
    SwitchNode sw =
        new SwitchNode(
            "route", List.of(new SwitchNode.Case(Expr.of(". > 5"), "big")), "small", null);
    return graph("switch")
        .fn("inc")
        .node(sw)
        .node(new PassNode("big", NodeOptions.DEFAULT.withOutput(Expr.of("\"big\""))))
        .node(new PassNode("small", NodeOptions.DEFAULT.withOutput(Expr.of("\"small\""))))
        .node(new PassNode("after", null))
        .branch("route", "big", "small")
        .next("big", "after")
        .next("small", "after")
        .build();
  }

  @Test
  void switchTakesOneBranchAndTheJoinAfterItDoesNotWaitForTheSkippedOne() throws Exception {
    InstanceStatus s = run(switchGraph(), IntNode.valueOf(9));
    assertThat(s.output().asText()).isEqualTo("big");
    assertThat(s.nodesExecuted()).isEqualTo(3);
    assertThat(s.nodesSkipped()).isEqualTo(1);
    InstanceStatus t = run(switchGraph(), IntNode.valueOf(1));
    assertThat(t.output().asText()).isEqualTo("small");
  }

  /** FaaSFlow's illgal_recognizer: mosaic is fed by two switches, one behind the other. */
  private WorkflowGraph twoSwitches() {
    fns.fn("flag", inv -> inv.input());
    return graph("illegal")
        .fn("flag")
        .node(
            new SwitchNode(
                "v1", List.of(new SwitchNode.Case(Expr.of(".first"), "mosaic")), "extract", null))
        .node(task("extract", "flag"))
        .node(
            new SwitchNode(
                "v2", List.of(new SwitchNode.Case(Expr.of(".second"), "mosaic")), "end", null))
        .node(new PassNode("mosaic", NodeOptions.DEFAULT.withOutput(Expr.of("\"mosaic\""))))
        .node(EndNode.succeed("end"))
        .branch("v1", "mosaic", "extract")
        .next("extract", "v2")
        .branch("v2", "mosaic", "end")
        .build();
  }

  @Test
  void aNodeFedByTwoSwitchesCompletesOnEveryPath() throws Exception {
    InstanceStatus direct = run(twoSwitches(), json("{\"first\":true}"));
    assertThat(direct.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(direct.output().asText()).isEqualTo("mosaic");
    InstanceStatus second = run(twoSwitches(), json("{\"second\":true}"));
    assertThat(second.output().asText()).isEqualTo("mosaic");
    assertThat(second.nodesSkipped()).isEqualTo(1); // end
    InstanceStatus neither = run(twoSwitches(), json("{}"));
    assertThat(neither.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(neither.output().toString()).isEqualTo("{}");
    assertThat(neither.nodesSkipped()).isEqualTo(1); // mosaic
  }

  @Test
  void quorumJoinFiresOnTheFirstResult() throws Exception {
    add("inc", 1);
    fns.hanging("never");
    WorkflowGraph g =
        graph("any")
            .fn("inc")
            .fn("never")
            .node(task("fast", "inc"))
            .node(task("slow", "never", NodeOptions.DEFAULT.withTimeout(Duration.ofSeconds(30))))
            .node(new PassNode("first", NodeOptions.DEFAULT.withJoin(Join.ANY)))
            .next("fast", "first")
            .next("slow", "first")
            .build();
    WorkflowEngine e = engine();
    String id = e.start(e.deploy(g), IntNode.valueOf(1));
    org.awaitility.Awaitility.await().until(() -> e.status(id).orElseThrow().nodesExecuted() == 2);
    assertThat(e.status(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(e.cancel(id)).isTrue();
    assertThat(e.completion(id).get(5, TimeUnit.SECONDS).state())
        .isEqualTo(InstanceState.CANCELLED);
  }

  @Test
  void mapRunsTheIteratorPerItemWithBoundedConcurrencyAndKeepsOrder() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    fns.fn(
        "square",
        inv -> {
          int r = running.incrementAndGet();
          maxRunning.accumulateAndGet(r, Math::max);
          running.decrementAndGet();
          return IntNode.valueOf(inv.input().asInt() * inv.input().asInt());
        });
    WorkflowGraph iterator = graph("square-one").node(task("sq", "square")).build();
    WorkflowGraph g =
        graph("map")
            .fn("square")
            .node(new MapNode("each", Expr.of(".items"), iterator, 2, null))
            .build();
    InstanceStatus s = run(g, json("{\"items\":[1,2,3,4,5]}"));
    assertThat(s.output().toString()).isEqualTo("[1,4,9,16,25]");
    assertThat(s.invocations()).isEqualTo(5);
    assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
    assertThat(run(g, json("{\"items\":[]}")).output().toString()).isEqualTo("[]");
    InstanceStatus bad = run(g, json("{\"items\":3}"));
    assertThat(bad.state()).isEqualTo(InstanceState.FAILED);
    assertThat(bad.error().type()).isEqualTo("ExpressionFailed");
    assertThat(bad.error().nodeId()).isEqualTo("each");
  }

  @Test
  void retriesUntilSuccessCountingEveryAttempt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    fns.fn(
        "flaky",
        inv -> {
          if (calls.incrementAndGet() < 3) {
            throw new FunctionException("Flaky", "not yet", true);
          }
          return IntNode.valueOf(inv.attempt());
        });
    RetryPolicy retry = new RetryPolicy(3, Duration.ZERO, 1, Duration.ZERO, 0, List.of("Flaky"));
    WorkflowGraph g =
        graph("retry")
            .fn("flaky")
            .node(task("f", "flaky", NodeOptions.DEFAULT.withRetry(retry)))
            .build();
    InstanceStatus s = run(g, null);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asInt()).isEqualTo(3);
    assertThat(s.invocations()).isEqualTo(3);
  }

  @Test
  void retryWaitsItsBackoffOnTheInjectedClock() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    AtomicInteger calls = new AtomicInteger();
    fns.fn(
        "flaky",
        inv -> {
          if (calls.incrementAndGet() < 2) {
            throw new IllegalStateException("boom");
          }
          return IntNode.valueOf(7);
        });
    RetryPolicy retry = RetryPolicy.of(2, Duration.ofSeconds(10));
    WorkflowGraph g =
        graph("backoff")
            .fn("flaky")
            .node(task("f", "flaky", NodeOptions.DEFAULT.withRetry(retry)))
            .build();
    WorkflowEngine e = engine(clock);
    String id = e.start(e.deploy(g), null);
    org.awaitility.Awaitility.await().until(() -> clock.pending() == 1);
    assertThat(calls.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(calls.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(e.completion(id).get(5, TimeUnit.SECONDS).output().asInt()).isEqualTo(7);
  }

  @Test
  void aFailureWithoutCatcherFailsTheInstanceNamingNodeAndCause() throws Exception {
    fns.fn(
        "boom",
        inv -> {
          throw new IllegalStateException("disk on fire");
        });
    add("inc", 1);
    WorkflowGraph g =
        graph("fail")
            .fn("boom")
            .fn("inc")
            .node(task("a", "inc"))
            .node(task("b", "boom"))
            .next("a", "b")
            .build();
    InstanceStatus s = run(g, IntNode.valueOf(1));
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().nodeId()).isEqualTo("b");
    assertThat(s.error().type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(s.error().message()).contains("disk on fire");
  }

  @Test
  void timeoutIsCaughtAndTheCatcherGetsTheError() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    fns.hanging("slow");
    WorkflowGraph g =
        graph("timeout")
            .fn("slow")
            .node(
                task(
                    "s",
                    "slow",
                    NodeOptions.DEFAULT
                        .withTimeout(Duration.ofSeconds(2))
                        .withCatchers(List.of(new Catcher(List.of("Timeout"), "fallback", null)))))
            .node(new PassNode("fallback", null))
            .node(new PassNode("normal", null))
            .next("s", "normal")
            .catchTo("s", "fallback")
            .build();
    WorkflowEngine e = engine(clock);
    String id = e.start(e.deploy(g), IntNode.valueOf(5));
    org.awaitility.Awaitility.await().until(() -> clock.pending() == 1);
    clock.advance(Duration.ofSeconds(2));
    InstanceStatus s = e.completion(id).get(5, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("error").asText()).isEqualTo("Timeout");
    assertThat(s.output().get("node").asText()).isEqualTo("s");
    assertThat(s.output().get("input").asInt()).isEqualTo(5);
    assertThat(s.nodesSkipped()).isEqualTo(1);
  }

  @Test
  void waitNodeFiresOnTheInjectedClock() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    WorkflowGraph g = graph("wait").node(new WaitNode("w", Duration.ofMinutes(5), null)).build();
    WorkflowEngine e = engine(clock);
    String id = e.start(e.deploy(g), IntNode.valueOf(3));
    org.awaitility.Awaitility.await().until(() -> clock.pending() == 1);
    clock.advance(Duration.ofMinutes(4));
    assertThat(e.status(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    clock.advance(Duration.ofMinutes(1));
    assertThat(e.completion(id).get(5, TimeUnit.SECONDS).output().asInt()).isEqualTo(3);
  }

  private static CloudEvent event(String id, String subject, String type, String data) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("test://x"))
        .withType(type)
        .withSubject(subject)
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void eventWaitHoldsEarlyEventsDropsDuplicatesAndCorrelates() throws Exception {
    fns.hanging("slow");
    WorkflowGraph g =
        graph("approval")
            .fn("slow")
            .node(
                new EventWaitNode(
                    "approve",
                    "com.example.approved",
                    Expr.of(".data.order == $input.order"),
                    null))
            .build();
    WorkflowEngine e = engine();
    String id = e.start(e.deploy(g), json("{\"order\":42}"));
    assertThat(e.deliver(event("e1", id, "com.example.approved", "{\"order\":41}"))).isTrue();
    assertThat(e.deliver(event("e2", id, "com.example.approved", "{\"order\":42,\"ok\":true}")))
        .isTrue();
    InstanceStatus s = e.completion(id).get(5, TimeUnit.SECONDS);
    assertThat(s.output().get("ok").asBoolean()).isTrue();
    assertThat(e.deliver(event("e2", id, "com.example.approved", "{}"))).isFalse();
  }

  @Test
  void anEventThatArrivesBeforeItsWaitIsHeldNotDropped() throws Exception {
    fns.hanging("gate");
    WorkflowGraph g =
        graph("held")
            .fn("gate")
            .node(task("gate", "gate"))
            .node(new EventWaitNode("wait", "go", null, null))
            .next("gate", "wait")
            .build();
    WorkflowEngine e = engine();
    String id = e.start(e.deploy(g), null);
    e.deliver(event("g1", id, "go", "{\"v\":1}"));
    e.deliver(event("g1", id, "go", "{\"v\":2}")); // duplicate id: ignored
    org.awaitility.Awaitility.await()
        .until(() -> e.history(id).stream().anyMatch(ev -> ev.getId().equals("g1")));
    assertThat(e.status(id).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
    fns.pending.get("gate").complete(null);
    InstanceStatus s = e.completion(id).get(5, TimeUnit.SECONDS);
    assertThat(s.output().get("v").asInt()).isEqualTo(1);
  }

  @Test
  void loopRepeatsWhileItsConditionHoldsUpToItsBound() throws Exception {
    add("inc", 1);
    WorkflowGraph body = graph("body").node(task("step", "inc")).build();
    WorkflowGraph g =
        graph("loop")
            .fn("inc")
            .node(new LoopNode("count", body, Expr.of(". < 5"), 100, null))
            .build();
    assertThat(run(g, IntNode.valueOf(0)).output().asInt()).isEqualTo(5);
    WorkflowGraph bounded =
        graph("loop2")
            .fn("inc")
            .node(new LoopNode("count", body, Expr.of("true"), 3, null))
            .build();
    InstanceStatus s = run(bounded, IntNode.valueOf(0));
    assertThat(s.output().asInt()).isEqualTo(3);
    assertThat(s.invocations()).isEqualTo(3);
  }

  @Test
  void subWorkflowRunsAsOneStep() throws Exception {
    add("inc", 1);
    WorkflowGraph inner =
        graph("inner").node(task("x", "inc")).node(task("y", "inc")).next("x", "y").build();
    WorkflowGraph g =
        graph("outer")
            .fn("inc")
            .node(new SubWorkflowNode("child", inner, null))
            .node(task("after", "inc"))
            .next("child", "after")
            .build();
    InstanceStatus s = run(g, IntNode.valueOf(0));
    assertThat(s.output().asInt()).isEqualTo(3);
    assertThat(s.nodesExecuted()).isEqualTo(2);
    assertThat(s.invocations()).isEqualTo(3);
  }

  @Test
  void failingEndNodeFailsTheInstance() throws Exception {
    WorkflowGraph g =
        graph("end")
            .node(new PassNode("p", null))
            .node(new EndNode("stop", true, "Rejected", "order too large", null))
            .next("p", "stop")
            .build();
    InstanceStatus s = run(g, null);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error()).isEqualTo(new InstanceError("stop", "Rejected", "order too large"));
  }

  @Test
  void mappingsAndWorkflowOutputUseJq() throws Exception {
    fns.fn("echo", inv -> inv.input());
    WorkflowGraph g =
        graph("maps")
            .fn("echo")
            .node(
                task(
                    "a",
                    "echo",
                    NodeOptions.DEFAULT
                        .withInput(Expr.of("{v: (.x * 2)}"))
                        .withOutput(Expr.of("{got: .v, was: $input.v, w: $workflow.x}"))))
            .output("{result: .got}")
            .build();
    InstanceStatus s = run(g, json("{\"x\":21}"));
    assertThat(s.output().toString()).isEqualTo("{\"result\":42}");
    WorkflowGraph broken =
        graph("broken")
            .fn("echo")
            .node(task("a", "echo", NodeOptions.DEFAULT.withInput(Expr.of(".x | error(\"no\")"))))
            .build();
    InstanceStatus b = run(broken, json("{\"x\":1}"));
    assertThat(b.state()).isEqualTo(InstanceState.FAILED);
    assertThat(b.error().nodeId()).isEqualTo("a");
    assertThat(b.error().type()).isEqualTo("ExpressionFailed");
  }

  @Test
  void longChainsAndWideFanOutsRunWithoutRecursion() throws Exception {
    fns.fn("noop", inv -> JsonNodeFactory.instance.objectNode());
    Graphs chain = graph("chain10k").fn("noop");
    for (int i = 0; i < 10_000; i++) {
      chain.node(task("n" + i, "noop"));
      if (i > 0) {
        chain.next("n" + (i - 1), "n" + i);
      }
    }
    InstanceStatus s = run(chain.build(), null);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.nodesExecuted()).isEqualTo(10_000);
    Graphs wide = graph("wide").fn("noop").node(task("src", "noop")).node(task("sink", "noop"));
    for (int i = 0; i < 5_000; i++) {
      wide.node(task("w" + i, "noop")).next("src", "w" + i).next("w" + i, "sink");
    }
    InstanceStatus w = run(wide.build(), null);
    assertThat(w.nodesExecuted()).isEqualTo(5_002);
  }

  @Test
  void unknownFunctionIsADefinitionErrorNamingTheNode() {
    WorkflowGraph g = graph("unknown").node(task("a", "nope")).build();
    WorkflowEngine e = engine();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.deploy(g))
        .isInstanceOf(io.sluice.model.DefinitionException.class)
        .hasMessageContaining("a: unknown function 'nope'");
  }

  @Test
  void asyncCompletionsFromOtherThreadsAreDeliveredThroughTheMailbox() throws Exception {
    fns.hanging("later");
    add("inc", 1);
    WorkflowGraph g =
        graph("async")
            .fn("later")
            .fn("inc")
            .node(task("a", "later"))
            .node(task("b", "inc"))
            .next("a", "b")
            .build();
    WorkflowEngine e = engine();
    String id = e.start(e.deploy(g), null);
    new Thread(() -> fns.pending.get("later").complete(IntNode.valueOf(41))).start();
    assertThat(e.completion(id).get(5, TimeUnit.SECONDS).output().asInt()).isEqualTo(42);
  }
}

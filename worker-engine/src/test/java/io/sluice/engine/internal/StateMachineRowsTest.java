package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.internal.TriggerEvent.Kind;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Join;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the engine tolerates on purpose, one scenario per kind of tolerated event: late results of
 * earlier attempts, edges that reach a join after it decided, events for an instance that ended;
 * and what it does not: an event in a state its table does not name fails the instance, naming the
 * entity, the state and the event.
 */
class StateMachineRowsTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final Calls calls = new Calls();
  private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
  private EmbeddedEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private EmbeddedEngine engine() {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(clock)).register(calls);
    engine = new EmbeddedEngine(EngineOptions.of(rt).withThreads(1));
    return engine;
  }

  private TaskNode task(String id, String fn, NodeOptions o) {
    functions.put(fn, new FunctionDef(fn, "calls", null, Location.UNKNOWN));
    return new TaskNode(id, fn, o);
  }

  private WorkflowGraph graph(String name, List<Node> nodes, List<Edge> edges, List<String> start) {
    Map<String, Node> m = new LinkedHashMap<>();
    nodes.forEach(n -> m.put(n.id(), n));
    return new WorkflowGraph(name, "1", m, edges, start, functions, null, null);
  }

  private static NodeOptions any() {
    return NodeOptions.DEFAULT.withJoin(Join.ANY);
  }

  private Instance start(WorkflowGraph g) {
    EmbeddedEngine e = engine == null ? engine() : engine;
    String id = e.start(e.deploy(g), IntNode.valueOf(1));
    return e.instance(id);
  }

  private static void drained(Instance inst) {
    await().until(inst::idle);
  }

  private static InstanceStatus end(Instance inst) throws Exception {
    return inst.done.get(10, TimeUnit.SECONDS);
  }

  private static int node(Instance inst, String id) {
    return inst.wf.indexOf.get(id);
  }

  @Test
  void resultsOfEarlierAttemptsAndDuplicatesAreIgnored() throws Exception {
    NodeOptions slow =
        NodeOptions.DEFAULT
            .withTimeout(Duration.ofSeconds(1))
            .withRetry(new RetryPolicy(2, Duration.ZERO, 1.0, Duration.ZERO, 0, List.of()))
            .withCatchers(List.of(new Catcher(List.of("Timeout"), "fallback", null)));
    WorkflowGraph g =
        graph(
            "late",
            List.of(
                task("s", "slow", slow),
                task("h", "hold", null),
                new PassNode("fallback", null),
                new PassNode("after", null)),
            List.of(Edge.next("s", "after"), new Edge("s", "fallback", Edge.Kind.CATCH)),
            List.of());
    Instance inst = start(g);
    Calls.Call first = calls.take("s", 1);
    Calls.Call hold = calls.take("h", 1);
    clock.advance(Duration.ofSeconds(1)); // attempt 1 times out; attempt 2 starts at once
    Calls.Call second = calls.take("s", 2);
    first.result().complete(TextNode.valueOf("late")); // RUNNING + LATE_RESULT
    drained(inst);
    clock.advance(Duration.ofSeconds(1)); // attempt 2 times out too: caught
    await().until(() -> inst.nodeState[node(inst, "fallback")] == NodeState.COMPLETED.ordinal());
    second.result().complete(TextNode.valueOf("late")); // FAILED + LATE_RESULT
    inst.post(TriggerEvent.of(Kind.COMPLETED, node(inst, "fallback"), 1, null, 0)); // duplicate
    drained(inst);
    assertThat(inst.state()).isEqualTo(InstanceState.RUNNING);
    hold.result().complete(IntNode.valueOf(7));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("fallback").get("error").asText()).isEqualTo("Timeout");
    assertThat(s.nodesSkipped()).isEqualTo(1); // after
  }

  @Test
  void aResultOfTheFailedAttemptThatArrivesDuringTheBackoffIsIgnored() throws Exception {
    NodeOptions slow =
        NodeOptions.DEFAULT
            .withTimeout(Duration.ofSeconds(1))
            .withRetry(
                new RetryPolicy(
                    2, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10), 0, List.of()));
    Instance inst = start(graph("backoff", List.of(task("s", "slow", slow)), List.of(), List.of()));
    Calls.Call first = calls.take("s", 1);
    clock.advance(Duration.ofSeconds(1)); // attempt 1 times out; the backoff starts
    await().until(() -> inst.nodeState[node(inst, "s")] == NodeState.RETRY_WAIT.ordinal());
    first.result().complete(TextNode.valueOf("late")); // RETRY_WAIT + LATE_RESULT
    drained(inst);
    assertThat(inst.nodeState[node(inst, "s")]).isEqualTo((byte) NodeState.RETRY_WAIT.ordinal());
    clock.advance(Duration.ofSeconds(10));
    calls.take("s", 2).result().complete(TextNode.valueOf("second"));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asText()).isEqualTo("second");
  }

  @Test
  void edgesThatReachAJoinAfterItDecidedAreIgnored() throws Exception {
    calls.fn("now", inv -> IntNode.valueOf(1));
    calls.fn(
        "flaky",
        inv -> {
          if (inv.attempt() == 1) {
            throw new FunctionException("Flaky", "first attempt fails", true);
          }
          return IntNode.valueOf(2);
        });
    calls.fn(
        "bad",
        inv -> {
          throw new FunctionException("Bad", "always fails", false);
        });
    NodeOptions flaky =
        any()
            .withRetry(
                new RetryPolicy(
                    2, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10), 0, List.of()));
    NodeOptions bad = any().withCatchers(List.of(new Catcher(List.of("Bad"), "fb", null)));
    List<Node> nodes =
        List.of(
            task("a", "now", null),
            task("a2", "now", null),
            task("b", "later", null),
            new PassNode("ready", any()),
            task("running", "hang", any()),
            new PassNode("done", any()),
            task("retrying", "flaky", flaky),
            task("failed", "bad", bad),
            new PassNode("fb", null));
    List<Edge> edges = new ArrayList<>();
    for (String join : List.of("running", "done", "retrying", "failed")) {
      edges.add(Edge.next("a", join));
      edges.add(Edge.next("b", join));
    }
    edges.add(Edge.next("a", "ready"));
    edges.add(Edge.next("a2", "ready"));
    edges.add(new Edge("failed", "fb", Edge.Kind.CATCH));
    Instance inst = start(graph("quorum", nodes, edges, List.of()));
    Calls.Call running = calls.take("running", 1);
    await().until(() -> inst.nodeState[node(inst, "retrying")] == NodeState.RETRY_WAIT.ordinal());
    calls.take("b", 1).result().complete(IntNode.valueOf(3)); // late into the decided joins
    drained(inst);
    clock.advance(Duration.ofSeconds(10));
    running.result().complete(IntNode.valueOf(4));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("retrying").asInt()).isEqualTo(2);
    assertThat(s.output().get("fb").get("error").asText()).isEqualTo("Bad");
  }

  @Test
  void edgesThatReachASkippedJoinAreIgnored() throws Exception {
    Expr no = Expr.of("false");
    SwitchNode sw =
        new SwitchNode(
            "sw",
            List.of(
                new SwitchNode.Case(no, "p1"),
                new SwitchNode.Case(no, "p2"),
                new SwitchNode.Case(no, "p3")),
            "x",
            null);
    NodeOptions two = NodeOptions.DEFAULT.withJoin(new Join(2));
    List<Node> nodes =
        List.of(
            sw,
            new PassNode("x", null),
            new PassNode("p1", null),
            new PassNode("p2", null),
            new PassNode("p3", null),
            task("w", "later", null),
            new PassNode("d1", two),
            new PassNode("d2", two));
    List<Edge> edges = new ArrayList<>();
    for (String p : List.of("x", "p1", "p2", "p3")) {
      edges.add(new Edge("sw", p, Edge.Kind.BRANCH));
    }
    for (String p : List.of("p1", "p2", "p3")) {
      edges.add(Edge.next(p, "d1")); // d1 is skipped at p2; p3 reaches it SKIPPING
      edges.add(Edge.next(p, "d2")); // d2 is skipped at p3; w reaches it SKIPPED
    }
    edges.add(Edge.next("w", "d2"));
    Instance inst = start(graph("skips", nodes, edges, List.of("sw", "w")));
    Calls.Call w = calls.take("w", 1);
    await().until(() -> inst.nodeState[node(inst, "d2")] == NodeState.SKIPPED.ordinal());
    w.result().complete(IntNode.valueOf(5));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.nodesSkipped()).isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(
      value = InstanceState.class,
      names = {"COMPLETED", "FAILED", "CANCELLED"})
  void anInstanceThatEndedIgnoresWhateverStillArrives(InstanceState end) throws Exception {
    Node last =
        switch (end) {
          case FAILED -> new EndNode("last", true, "Stop", "stopped", null);
          case CANCELLED -> task("last", "later", null);
          default -> new PassNode("last", null);
        };
    Instance inst = start(graph("ended", List.of(last), List.of(), List.of()));
    if (end == InstanceState.CANCELLED) {
      calls.take("last", 1);
      assertThat(engine.cancel(inst.id)).isTrue();
    }
    InstanceStatus before = end(inst);
    assertThat(before.state()).isEqualTo(end);
    CloudEvent ev =
        CloudEventBuilder.v1()
            .withId("e-1")
            .withType("test.late")
            .withSource(URI.create("test:/late"))
            .build();
    inst.post(TriggerEvent.of(Kind.COMPLETED, 0, 1, IntNode.valueOf(9), 0)); // NODE
    inst.post(TriggerEvent.external(-1, 0, ev, 0)); // EXTERNAL
    inst.post(TriggerEvent.external(-1, 0, ev, 0)); // EXTERNAL_DUPLICATE
    inst.post(TriggerEvent.of(Kind.CANCEL, -1, 0, null, 0)); // CANCEL
    drained(inst);
    InstanceStatus after = inst.status();
    assertThat(after.state()).isEqualTo(end);
    assertThat(after.output()).isEqualTo(before.output());
    assertThat(after.events()).isEqualTo(before.events());
  }

  @Test
  void aJoinOfTheFirstResultWithdrawsTheEventWaitsItLeftBehind() throws Exception {
    NodeOptions timed = NodeOptions.DEFAULT.withTimeout(Duration.ofSeconds(5));
    WorkflowGraph g =
        graph(
            "race",
            List.of(
                new io.sluice.model.EventWaitNode("a", "test.a", null, timed),
                new io.sluice.model.EventWaitNode("b", "test.b", null, timed),
                new PassNode("first", any()),
                task("h", "hold", null)),
            List.of(Edge.next("a", "first"), Edge.next("b", "first")),
            List.of());
    Instance inst = start(g);
    Calls.Call hold = calls.take("h", 1);
    await().until(() -> engine.correlator().waitCount() == 2);
    engine.deliver(
        CloudEventBuilder.v1()
            .withId("a-1")
            .withType("test.a")
            .withSource(URI.create("test:/race"))
            .build());
    // b is withdrawn: skipped, out of the index, its timeout cancelled
    await().until(() -> inst.nodeState[node(inst, "b")] == NodeState.SKIPPED.ordinal());
    assertThat(engine.correlator().waitCount()).isZero();
    inst.post(TriggerEvent.of(Kind.TIMEOUT, node(inst, "b"), 1, null, 0)); // SKIPPED + LATE_RESULT
    drained(inst);
    assertThat(inst.state()).isEqualTo(InstanceState.RUNNING);
    hold.result().complete(IntNode.valueOf(7));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.nodesSkipped()).isEqualTo(1); // b
  }

  @Test
  void anEventInAStateTheTableDoesNotNameFailsTheInstanceNamingIt() throws Exception {
    WorkflowGraph g =
        graph(
            "illegal",
            List.of(task("a", "later", null), new PassNode("b", null)),
            List.of(Edge.next("a", "b")),
            List.of());
    Instance inst = start(g);
    calls.take("a", 1);
    // A retry for a node that never ran: the node table has no (WAITING, LATE_RESULT) row.
    inst.post(TriggerEvent.of(Kind.RETRY, node(inst, "b"), 1, null, 0));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo(Instance.INTERNAL_ERROR);
    assertThat(s.error().nodeId()).isEqualTo("b");
    assertThat(s.error().message())
        .contains("illegal transition of node 'b' of instance " + inst.id)
        .contains("event LATE_RESULT in state WAITING")
        .contains("history:");
  }

  @Test
  void anEdgeEventInAStateTheEdgeTableDoesNotNameFailsTheInstance() throws Exception {
    WorkflowGraph g =
        graph(
            "illegal-edge",
            List.of(task("a", "later", null), new PassNode("b", null)),
            List.of(Edge.next("a", "b")),
            List.of());
    Instance inst = start(g);
    calls.take("a", 1);
    // A fetched value for an edge that never went through the store: (PENDING, FETCHED).
    inst.post(
        new TriggerEvent(Kind.EDGE, 0, 0, Edges.FETCHED_MARK, IntNode.valueOf(1), null, null, 0));
    InstanceStatus s = end(inst);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().message())
        .contains("illegal transition of edge 0 (a -> b) of instance " + inst.id)
        .contains("event FETCHED in state PENDING");
  }

  @Test
  void legalityIsDerivedFromTheTable() {
    assertThat(NodeMachine.TABLE.legal(NodeState.RUNNING, NodeMachine.Event.RESULT)).isTrue();
    assertThat(NodeMachine.TABLE.legal(NodeState.READY, NodeMachine.Event.FATAL)).isFalse();
    assertThat(NodeMachine.TABLE.legal(NodeState.SKIPPING, NodeMachine.Event.LATE_RESULT))
        .isFalse();
  }
}

package io.sluice.engine;

import static io.sluice.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.RetryPolicy;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The steps an engine's {@link NodeSteps} hears, in order, for each kind of node. */
class NodeStepsTest {
  private final TestFunctions fns = new TestFunctions();
  private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
  private final List<NodeSteps.Step> raw = Collections.synchronizedList(new ArrayList<>());
  private SystemScheduler system;
  private WorkflowEngine engine;

  private WorkflowEngine engine(Scheduler s, NodeSteps listener) {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(s)).register(fns);
    engine = WorkflowEngine.embedded(EngineOptions.of(rt).withThreads(2).withNodeSteps(listener));
    return engine;
  }

  /** Records "node kind [item/total] #attempt" per step, for the top-level instance only. */
  private NodeSteps recorder() {
    return (instanceId, nodeId, step) -> {
      raw.add(step);
      steps.add(
          nodeId
              + " "
              + step.kind().wire()
              + (step.item() == 0 ? "" : " " + step.item() + "/" + step.itemsTotal())
              + " #"
              + step.attempt());
    };
  }

  private InstanceStatus run(WorkflowGraph g, JsonNode input) throws Exception {
    if (engine == null) {
      system = new SystemScheduler(1);
      engine(system, recorder());
    }
    String id = engine.start(engine.deploy(g), input);
    return engine.completion(id).get(10, TimeUnit.SECONDS);
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

  private void inc() {
    fns.fn("inc", inv -> IntNode.valueOf(inv.input().asInt() + 1));
  }

  @Test
  void aChainReportsEachNodeStartedThenCompletedWithItsDuration() throws Exception {
    inc();
    WorkflowGraph g =
        graph("chain")
            .fn("inc")
            .node(new TaskNode("a", "inc", null))
            .node(new TaskNode("b", "inc", null))
            .next("a", "b")
            .build();
    assertThat(run(g, IntNode.valueOf(1)).state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(steps)
        .containsExactly("a started #1", "a completed #1", "b started #1", "b completed #1");
    assertThat(raw.get(1).durationNanos()).isGreaterThanOrEqualTo(0);
    assertThat(raw.get(0).timeMillis()).isPositive();
  }

  @Test
  void aMapReportsItsItemsAsItselfWithTheirCount() throws Exception {
    fns.fn("sq", inv -> IntNode.valueOf(inv.input().asInt() * inv.input().asInt()));
    WorkflowGraph body = graph("one").node(new TaskNode("s", "sq", null)).build();
    WorkflowGraph g =
        graph("map").fn("sq").node(new MapNode("each", Expr.of(".items"), body, 1, null)).build();
    InstanceStatus s = run(g, new ObjectMapper().readTree("{\"items\":[1,2,3]}"));
    assertThat(s.output().toString()).isEqualTo("[1,4,9]");
    assertThat(steps)
        .containsExactly(
            "each started #1",
            "each started 1/3 #1",
            "each completed 1/3 #1",
            "each started 2/3 #1",
            "each completed 2/3 #1",
            "each started 3/3 #1",
            "each completed 3/3 #1",
            "each completed #1");
    assertThat(raw.get(0).itemsTotal()).isEqualTo(3);
  }

  @Test
  void loopRoundsAreItemsNumberedFromOne() throws Exception {
    inc();
    WorkflowGraph body = graph("body").node(new TaskNode("step", "inc", null)).build();
    WorkflowGraph g =
        graph("loop")
            .fn("inc")
            .node(new LoopNode("count", body, Expr.of(". < 2"), 10, null))
            .build();
    assertThat(run(g, IntNode.valueOf(0)).output().asInt()).isEqualTo(2);
    assertThat(steps)
        .containsExactly(
            "count started #1",
            "count started 1/0 #1",
            "count completed 1/0 #1",
            "count started 2/0 #1",
            "count completed 2/0 #1",
            "count completed #1");
  }

  @Test
  void aRetryThenSuccessReportsEachAttemptAndNestedRetriesReportAsTheirItem() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    fns.fn(
        "flaky",
        inv -> {
          if (calls.incrementAndGet() % 2 == 1) {
            throw new FunctionException("Flaky", "not yet", true);
          }
          return IntNode.valueOf(inv.attempt());
        });
    RetryPolicy retry = new RetryPolicy(3, Duration.ZERO, 1, Duration.ZERO, 0, List.of("Flaky"));
    WorkflowGraph g =
        graph("retry")
            .fn("flaky")
            .node(new TaskNode("f", "flaky", NodeOptions.DEFAULT.withRetry(retry)))
            .build();
    assertThat(run(g, null).output().asInt()).isEqualTo(2);
    assertThat(steps)
        .containsExactly("f started #1", "f retrying #1", "f started #2", "f completed #2");
    assertThat(raw.get(1).errorType()).isEqualTo("Flaky");
    assertThat(raw.get(1).errorMessage()).contains("not yet");

    steps.clear();
    WorkflowGraph body =
        graph("one").node(new TaskNode("s", "flaky", NodeOptions.DEFAULT.withRetry(retry))).build();
    WorkflowGraph map =
        graph("map").fn("flaky").node(new MapNode("each", Expr.of("[1]"), body, 1, null)).build();
    assertThat(run(map, null).state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(steps)
        .containsExactly(
            "each started #1",
            "each started 1/1 #1",
            "each retrying 1/1 #1",
            "each completed 1/1 #1",
            "each completed #1");
  }

  @Test
  void aFailureReportsFailedWithTheErrorAndAListenerThatThrowsBreaksNothing() throws Exception {
    fns.fn(
        "boom",
        inv -> {
          throw new IllegalStateException("disk on fire");
        });
    system = new SystemScheduler(1);
    NodeSteps rec = recorder();
    engine(
        system,
        (i, n, s) -> {
          rec.step(i, n, s);
          throw new IllegalStateException("listener bug");
        });
    WorkflowGraph g = graph("fail").fn("boom").node(new TaskNode("b", "boom", null)).build();
    InstanceStatus s = run(g, null);
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(steps).containsExactly("b started #1", "b failed #1");
    assertThat(raw.get(1).errorType()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(raw.get(1).errorMessage()).contains("disk on fire");
  }

  @Test
  void theBranchASwitchDidNotTakeIsSkipped() throws Exception {
    SwitchNode sw =
        new SwitchNode(
            "route", List.of(new SwitchNode.Case(Expr.of(". > 5"), "big")), "small", null);
    WorkflowGraph g =
        graph("switch")
            .node(sw)
            .node(new PassNode("big", null))
            .node(new PassNode("small", null))
            .branch("route", "big", "small")
            .build();
    run(g, IntNode.valueOf(9));
    assertThat(steps)
        .containsExactlyInAnyOrder(
            "route started #1",
            "route completed #1",
            "big started #1",
            "big completed #1",
            "small skipped #0");
    assertThat(steps.get(0)).isEqualTo("route started #1");
  }

  @Test
  void timerAndEventWaitsReportWaiting() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    WorkflowEngine e = engine(clock, recorder());
    WorkflowGraph g =
        graph("wait")
            .node(new WaitNode("w", Duration.ofMinutes(5), null))
            .node(new EventWaitNode("ev", "go", null, null))
            .next("w", "ev")
            .build();
    String id = e.start(e.deploy(g), IntNode.valueOf(3));
    Awaitility.await().until(() -> clock.pending() == 1);
    assertThat(steps).containsExactly("w started #1", "w waiting #1");
    clock.advance(Duration.ofMinutes(5));
    Awaitility.await().until(() -> steps.size() == 5);
    assertThat(steps).endsWith("w completed #1", "ev started #1", "ev waiting #1");
    e.deliver(
        io.cloudevents.core.builder.CloudEventBuilder.v1()
            .withId("e1")
            .withSource(java.net.URI.create("test:/"))
            .withType("go")
            .withSubject(id)
            .build());
    assertThat(e.completion(id).get(5, TimeUnit.SECONDS).state())
        .isEqualTo(InstanceState.COMPLETED);
    assertThat(steps).endsWith("ev completed #1");
  }

  @Test
  void noListenerAddsNothingToTheDefaultOptions() {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()));
    assertThat(EngineOptions.of(rt).nodeSteps()).isSameAs(NodeSteps.NONE);
    assertThat(EngineOptions.of(rt).withThreads(3).withNodeSteps(null).nodeSteps())
        .isSameAs(NodeSteps.NONE);
  }
}

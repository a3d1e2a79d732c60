package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.RetryPolicy;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure that asks for a wait before the next attempt ({@link FunctionException#retryAfter()},
 * e.g. an HTTP 429's {@code Retry-After}): the retry policy waits the longer of its own backoff and
 * that wait, on the engine's scheduler.
 */
class RetryAfterTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final Calls calls = new Calls();
  private EmbeddedEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private Instance start(Duration backoff) {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(clock)).register(calls);
    engine = new EmbeddedEngine(EngineOptions.of(rt).withThreads(1));
    NodeOptions o =
        NodeOptions.DEFAULT.withRetry(new RetryPolicy(3, backoff, 1.0, backoff, 0, List.of()));
    Map<String, FunctionDef> functions =
        Map.of("remote", new FunctionDef("remote", "calls", null, Location.UNKNOWN));
    Map<String, Node> nodes = new LinkedHashMap<>();
    nodes.put("s", new TaskNode("s", "remote", o));
    WorkflowGraph g =
        new WorkflowGraph(
            "retry-after", "1", nodes, List.<Edge>of(), List.of(), functions, null, null);
    String id = engine.start(engine.deploy(g), IntNode.valueOf(1));
    return engine.instance(id);
  }

  private static FunctionException throttled(Duration retryAfter) {
    return new FunctionException("Http429", "slow down", true, null, retryAfter);
  }

  private boolean waiting(Instance inst) {
    await().until(inst::idle);
    return inst.nodeState[inst.wf.indexOf.get("s")] == NodeState.RETRY_WAIT.ordinal();
  }

  @Test
  void aRetryAfterLongerThanTheBackoffDelaysTheNextAttempt() throws Exception {
    Instance inst = start(Duration.ofMillis(10));
    calls.take("s", 1).result().completeExceptionally(throttled(Duration.ofSeconds(5)));
    await().until(() -> waiting(inst));
    clock.advance(Duration.ofSeconds(1)); // the policy's 10 ms backoff alone would have ended
    assertThat(waiting(inst)).as("still waiting for the Retry-After").isTrue();
    clock.advance(Duration.ofSeconds(4));
    calls.take("s", 2).result().complete(TextNode.valueOf("ok"));
    InstanceStatus s = inst.done.get(10, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asText()).isEqualTo("ok");
  }

  @Test
  void aBackoffLongerThanTheRetryAfterIsKept() throws Exception {
    Instance inst = start(Duration.ofSeconds(10));
    calls.take("s", 1).result().completeExceptionally(throttled(Duration.ofSeconds(1)));
    await().until(() -> waiting(inst));
    clock.advance(Duration.ofSeconds(5)); // past the Retry-After, not past the backoff
    assertThat(waiting(inst)).isTrue();
    clock.advance(Duration.ofSeconds(5));
    calls.take("s", 2).result().complete(TextNode.valueOf("ok"));
    assertThat(inst.done.get(10, TimeUnit.SECONDS).state()).isEqualTo(InstanceState.COMPLETED);
  }

  @Test
  void withoutARetryAfterTheBackoffAloneCounts() throws Exception {
    Instance inst = start(Duration.ofMillis(10));
    calls.take("s", 1).result().completeExceptionally(throttled(Duration.ZERO));
    await().until(() -> waiting(inst));
    clock.advance(Duration.ofMillis(10));
    calls.take("s", 2).result().complete(TextNode.valueOf("ok"));
    assertThat(inst.done.get(10, TimeUnit.SECONDS).state()).isEqualTo(InstanceState.COMPLETED);
  }
}

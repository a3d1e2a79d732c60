package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.data.DataPlane;
import io.sluice.model.FunctionDef;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a function node starts, the engine hints the runtimes of its direct function-call successors
 * on this worker ({@link FunctionRuntime#prewarm}), once per instance and successor.
 */
class PrewarmHintTest {
  /** Answers every call with its input at once and records the prewarm hints it gets. */
  static final class HintedRuntime implements FunctionRuntime {
    final List<String> prewarmed = new CopyOnWriteArrayList<>();
    final List<String> invoked = new CopyOnWriteArrayList<>();

    @Override
    public String kind() {
      return "hinted";
    }

    @Override
    public CompletionStage<JsonNode> invoke(Invocation inv) {
      invoked.add(inv.function().name());
      if (inv.function().name().equals("fails")) {
        return CompletableFuture.failedFuture(
            new io.sluice.runtime.FunctionException("Boom", "boom", false));
      }
      return CompletableFuture.completedFuture(inv.input());
    }

    @Override
    public void prewarm(FunctionDef function) {
      prewarmed.add(function.name());
    }
  }

  /**
   * a (task) -> b (task) and a -> p (pass) -> c (task); b -> c; b catches into e (task), which
   * never runs. Prewarmed: b when a starts, c when b starts; never c from p, never e.
   */
  private static final String CHAIN =
      """
      sluice: "1.0"
      name: prewarm-chain
      functions:
        fa: {runtime: hinted}
        fb: {runtime: hinted}
        fc: {runtime: hinted}
        fe: {runtime: hinted}
      nodes:
        - id: a
          type: task
          function: fa
          next: [b, p]
        - id: p
          type: pass
          next: c
        - id: b
          type: task
          function: fb
          catch: [{errors: [Boom], next: e}]
          next: c
        - id: c
          type: task
          function: fc
        - id: e
          type: task
          function: fe
      """;

  private final HintedRuntime hinted = new HintedRuntime();
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler())).register(hinted);

  @AfterEach
  void close() {
    runtimes.close();
  }

  private static WorkflowGraph chain() {
    return new WorkflowLoader().load("prewarm.yaml", CHAIN);
  }

  @Test
  void successorFunctionsAreHintedOnceEachPerInstance() throws Exception {
    try (WorkflowEngine engine =
        WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(1))) {
      var wf = engine.deploy(chain());
      for (int i = 0; i < 2; i++) {
        String id = engine.start(wf, IntNode.valueOf(i));
        assertThat(engine.completion(id).get(10, TimeUnit.SECONDS).state())
            .isEqualTo(InstanceState.COMPLETED);
      }
    }
    assertThat(hinted.invoked).containsExactly("fa", "fb", "fc", "fa", "fb", "fc");
    // per instance: b once (from a), c once (from b; not again from the pass p); never e
    assertThat(hinted.prewarmed).containsExactly("fb", "fc", "fb", "fc");
  }

  @Test
  void noHintsWhenPrewarmIsOff() throws Exception {
    try (WorkflowEngine engine =
        WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(1).withPrewarm(false))) {
      String id = engine.start(engine.deploy(chain()), IntNode.valueOf(1));
      assertThat(engine.completion(id).get(10, TimeUnit.SECONDS).state())
          .isEqualTo(InstanceState.COMPLETED);
    }
    assertThat(hinted.invoked).containsExactly("fa", "fb", "fc");
    assertThat(hinted.prewarmed).isEmpty();
  }

  @Test
  void onlySuccessorsThisWorkerHoldsAreHinted() throws Exception {
    CompletableFuture<PartResult> finished = new CompletableFuture<>();
    List<EdgeEvent> sent = new CopyOnWriteArrayList<>();
    EventRouter router =
        new EventRouter() {
          @Override
          public void send(String workerId, EdgeEvent event) {
            sent.add(event);
          }

          @Override
          public void partFinished(PartResult result) {
            finished.complete(result);
          }
        };
    // w1 holds a, p and b; c and e are on w2: a's start hints b, b's start hints nothing
    try (PartitionedEngine engine =
        new PartitionedEngine(
            "w1", EngineOptions.of(runtimes).withThreads(1), router, List.of(hinted))) {
      engine.dataPlane(DataPlane.inline());
      WorkflowKey key = new WorkflowKey("prewarm-chain", "1");
      engine.deploy(
          key,
          chain(),
          Map.of("a", "w1", "p", "w1", "b", "w1", "c", "w2", "e", "w2"),
          Binding.defaults());
      engine.start("i-1", key, IntNode.valueOf(1));
      org.awaitility.Awaitility.await().until(() -> hinted.invoked.size() == 2 && sent.size() >= 2);
    }
    assertThat(hinted.invoked).containsExactly("fa", "fb");
    assertThat(hinted.prewarmed).containsExactly("fb");
  }
}

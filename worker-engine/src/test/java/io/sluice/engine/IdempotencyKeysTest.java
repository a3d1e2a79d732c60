package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine gives every function call the idempotency keys of its place: map item, loop round,
 * sub-workflow nesting and attempt (see {@link io.sluice.runtime.CallKey}).
 */
class IdempotencyKeysTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final List<FunctionContext> seen = new CopyOnWriteArrayList<>();
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private final RuntimeOptions options = RuntimeOptions.of(scheduler);
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(options)
          .register(
              JavaRuntime.create(options)
                  .register(
                      "onceFlaky",
                      (in, ctx) -> {
                        seen.add(ctx);
                        // Each step fails its first attempt, whatever thread runs it.
                        if (failedOnce.add(ctx.stepKey())) {
                          throw new FunctionException("Flaky", "first attempt of " + ctx, true);
                        }
                        return in;
                      })
                  .register(
                      "record",
                      (in, ctx) -> {
                        seen.add(ctx);
                        return M.createObjectNode().put("n", in.path("n").asInt() + 1);
                      }));
  private final WorkflowEngine engine =
      WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2));

  @AfterEach
  void close() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  private InstanceStatus run(String yaml, String input) throws Exception {
    String id =
        engine.start(
            engine.deploy(new WorkflowLoader().load("keys.yaml", yaml)), M.readTree(input));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s;
  }

  @Test
  void aMapOfThreeItemsEachRetriedOnceGivesSixKeysAndThreeStepKeys() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: map-retry
            functions:
              onceFlaky: {runtime: java}
            nodes:
              - id: each
                type: map
                items: .xs
                iterator:
                  nodes:
                    - id: charge
                      type: task
                      function: onceFlaky
                      retry: {maxAttempts: 2, backoff: 1ms, retryOn: [Flaky]}
            """,
            "{\"xs\": [10, 20, 30]}");
    assertThat(s.invocations()).isEqualTo(6);
    Set<String> keys = new HashSet<>();
    Set<String> steps = new HashSet<>();
    for (FunctionContext c : seen) {
      keys.add(c.idempotencyKey());
      steps.add(c.stepKey());
    }
    assertThat(keys).hasSize(6);
    assertThat(steps)
        .containsExactlyInAnyOrder(
            s.instanceId() + "/each[0]/charge",
            s.instanceId() + "/each[1]/charge",
            s.instanceId() + "/each[2]/charge");
    assertThat(keys)
        .contains(
            s.instanceId() + "/each@1[0]/charge@1",
            s.instanceId() + "/each@1[0]/charge@2",
            s.instanceId() + "/each@1[2]/charge@2");
  }

  @Test
  void loopRoundsAndNestedSubWorkflowsEachGetTheirOwnStep() throws Exception {
    InstanceStatus s =
        run(
            """
            sluice: "1.0"
            name: nested
            functions:
              record: {runtime: java}
            nodes:
              - id: top
                type: task
                function: record
                next: again
              - id: again
                type: loop
                while: .n < 4
                body:
                  nodes:
                    - id: inner
                      type: subworkflow
                      workflow:
                        name: child
                        nodes:
                          - {id: top, type: task, function: record}
            """,
            "{\"n\": 0}");
    assertThat(s.output().get("n").asInt()).isEqualTo(4);
    String id = s.instanceId();
    assertThat(seen)
        .extracting(FunctionContext::stepKey)
        .containsExactly(
            id + "/top",
            id + "/again[1]/inner[1]/top",
            id + "/again[2]/inner[1]/top",
            id + "/again[3]/inner[1]/top");
    assertThat(seen)
        .extracting(FunctionContext::idempotencyKey)
        .containsExactly(
            id + "/top@1",
            id + "/again@1[1]/inner@1[1]/top@1",
            id + "/again@1[2]/inner@1[1]/top@1",
            id + "/again@1[3]/inner@1[1]/top@1");
  }
}

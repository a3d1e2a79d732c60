package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.Property;
import io.sluice.testing.RandomDags;
import io.sluice.time.SystemScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded trigger engine on seeded random DAGs (layers, fan-outs, fan-ins/joins, several roots
 * and sinks), several instances of each at once, some function calls completing on other threads:
 * every node fires exactly once per instance, never before all its predecessors returned, with
 * exactly the input a sequential evaluation gives it, and the instance's output is the sequential
 * one. See docs/testing.md for the case count and seed knobs.
 */
class EnginePropertiesTest {
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final RecordingRuntime runtime = new RecordingRuntime();
  private WorkflowEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    runtime.close();
    scheduler.close();
  }

  @Test
  void everyNodeFiresOnceAfterItsInputsAndTheOutputIsTheSequentialOne() {
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(scheduler)).register(runtime);
    engine = WorkflowEngine.embedded(EngineOptions.of(rt).withThreads(3));
    Property.named("engine-random-dags", 500)
        .check(
            (random, seed, index) -> {
              WorkflowGraph g =
                  RandomDags.generate(random, RandomDags.Shape.MEDIUM, "f", RecordingRuntime.KIND);
              runtime.reset(RandomDags.predecessors(g), random.nextLong());
              DeployedWorkflow d = engine.deploy(g);
              int instances = random.nextInt(1, 5);
              Map<String, DagOracle> expected = new LinkedHashMap<>();
              List<String> ids = new ArrayList<>();
              for (int k = 0; k < instances; k++) {
                IntNode input = IntNode.valueOf(random.nextInt(1_000_000));
                String id = engine.start(d, input);
                ids.add(id);
                expected.put(id, new DagOracle(g, input));
              }
              for (String id : ids) {
                InstanceStatus s = engine.completion(id).get(10, TimeUnit.SECONDS);
                DagOracle oracle = expected.get(id);
                assertThat(s.state())
                    .as("state of %s: %s", id, s.error())
                    .isEqualTo(InstanceState.COMPLETED);
                assertThat(runtime.calls.get(id))
                    .as("calls per node of %s", id)
                    .containsOnlyKeys(g.nodes().keySet())
                    .allSatisfy((node, n) -> assertThat(n).as(node).isEqualTo(1));
                assertThat(runtime.inputs.get(id)).as("inputs of %s", id).isEqualTo(oracle.inputs);
                assertThat(s.output()).as("output of %s", id).isEqualTo(oracle.output);
                assertThat(s.nodesExecuted()).isEqualTo(g.nodes().size());
                assertThat(s.invocations()).isEqualTo(g.nodes().size());
              }
              assertThat(runtime.violations).isEmpty();
            });
  }
}

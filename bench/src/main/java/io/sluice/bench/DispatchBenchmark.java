package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Trigger-dispatch cost per hop: one whole instance of a 1,000-node chain, or of a 1,000-wide
 * fan-out/fan-in, of no-op {@code java} functions, reported per node fired (µs/hop). Everything a
 * hop costs is in it: join bookkeeping, the function call, the event record, history.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DispatchBenchmark {
  static final int HOPS = 1000;

  @Param({"true", "false"})
  public boolean history;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private WorkflowEngine engine;
  private DeployedWorkflow chain;
  private DeployedWorkflow fan;

  @Setup(Level.Trial)
  public void setUp() {
    scheduler = new SystemScheduler(1);
    RuntimeOptions options = RuntimeOptions.of(scheduler);
    JsonNode empty = JsonNodeFactory.instance.objectNode();
    runtimes =
        FunctionRuntimes.load(options)
            .register(JavaRuntime.create(options).register("noop", (in, ctx) -> empty));
    engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes).withThreads(1).withRecordHistory(history));
    chain = engine.deploy(chain(HOPS));
    fan = engine.deploy(fan(HOPS - 2));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  @Benchmark
  @OperationsPerInvocation(HOPS)
  public InstanceStatus chain1000() {
    return runOnce(chain);
  }

  @Benchmark
  @OperationsPerInvocation(HOPS)
  public InstanceStatus fanOutFanIn1000() {
    return runOnce(fan);
  }

  private InstanceStatus runOnce(DeployedWorkflow wf) {
    InstanceStatus s = engine.completion(engine.start(wf, null)).join();
    if (s.state() != InstanceState.COMPLETED) {
      throw new IllegalStateException("benchmark instance did not complete: " + s);
    }
    return s;
  }

  static WorkflowGraph chain(int n) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.put("n" + i, new TaskNode("n" + i, "noop", null));
      if (i > 0) {
        edges.add(Edge.next("n" + (i - 1), "n" + i));
      }
    }
    return graph("chain-" + n, nodes, edges);
  }

  /** A source, {@code width} parallel nodes, and a sink that joins them all. */
  static WorkflowGraph fan(int width) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    nodes.put("src", new TaskNode("src", "noop", null));
    for (int i = 0; i < width; i++) {
      nodes.put("w" + i, new TaskNode("w" + i, "noop", null));
      edges.add(Edge.next("src", "w" + i));
      edges.add(Edge.next("w" + i, "sink"));
    }
    nodes.put("sink", new TaskNode("sink", "noop", null));
    return graph("fan-" + width, nodes, edges);
  }

  private static WorkflowGraph graph(String name, Map<String, Node> nodes, List<Edge> edges) {
    return new WorkflowGraph(
        name,
        "1",
        nodes,
        edges,
        List.of(),
        Map.of("noop", new FunctionDef("noop", JavaRuntime.KIND, null, Location.UNKNOWN)),
        null,
        null);
  }
}

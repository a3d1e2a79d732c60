package io.sluice.master.instance;

import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.Scheduler;
import java.util.HashMap;
import java.util.Map;

/**
 * The master's own engine for one deployment in MasterSP: it holds every instance's state and binds
 * every function of the graph (nested graphs included) to the {@link DispatchRuntime}.
 */
final class MasterSpEngine implements AutoCloseable {
  final DispatchRuntime dispatch;
  final FunctionRuntimes runtimes;
  final WorkflowEngine engine;
  final DeployedWorkflow deployed;

  MasterSpEngine(DeploymentView view, WorkerClients clients, Scheduler scheduler, int threads) {
    this.dispatch = new DispatchRuntime(view, clients, scheduler);
    this.runtimes =
        FunctionRuntimes.load(
                new RuntimeOptions(scheduler, 1, 0, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES))
            .register(dispatch);
    Map<String, FunctionDef> registry = new HashMap<>();
    bindAll(view.workflow().graph(), registry);
    this.engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes)
                .withRegistry(registry)
                .withThreads(threads)
                .withRecordHistory(false));
    this.deployed = engine.deploy(view.workflow().graph());
  }

  /** Binds every task's function, in nested graphs too, to the dispatch runtime. */
  private static void bindAll(WorkflowGraph g, Map<String, FunctionDef> registry) {
    GraphWalk.nodes(g)
        .map(GraphWalk.NestedNode::node)
        .filter(n -> n instanceof TaskNode)
        .map(n -> ((TaskNode) n).function())
        .forEach(f -> registry.put(f, new FunctionDef(f, DispatchRuntime.KIND, null, null)));
  }

  @Override
  public void close() {
    engine.close();
    runtimes.close();
  }
}

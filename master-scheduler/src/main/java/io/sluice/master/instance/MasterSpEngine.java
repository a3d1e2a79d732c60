package io.sluice.master.instance;

import io.cloudevents.CloudEvent;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.events.EventRouting;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The master's own engine for one deployment in MasterSP: it holds every instance's state and binds
 * every function of the graph (nested graphs included) to the {@link DispatchRuntime}.
 */
final class MasterSpEngine implements AutoCloseable {
  final DispatchRuntime dispatch;
  final FunctionRuntimes runtimes;
  final WorkflowEngine engine;
  final DeployedWorkflow deployed;

  /** Its name as an event target of the master's routing. */
  final String target;

  /**
   * Engine instance id -> the master's instance id, for the instances it runs and the finished ones
   * the master still retains (an instance may end between routing an event and its id's mapping).
   */
  final Map<String, String> runs = new java.util.concurrent.ConcurrentHashMap<>();

  private final EventRouting routing;

  /** The master's progress, as the engine's node-step listener. */
  final io.sluice.engine.NodeSteps steps;

  MasterSpEngine(
      DeploymentView view,
      WorkerClients clients,
      Scheduler scheduler,
      int threads,
      int maxHeldEvents,
      EventRouting routing,
      io.sluice.master.progress.ProgressStore progress) {
    this.routing = routing;
    this.target = "master/" + view.key();
    this.dispatch = new DispatchRuntime(view, clients, scheduler);
    this.runtimes =
        FunctionRuntimes.load(
                new RuntimeOptions(scheduler, 1, 0, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES))
            .register(dispatch);
    Map<String, FunctionDef> registry = new HashMap<>();
    bindAll(view.workflow().graph(), registry);
    // Its node steps go to the master's progress under the master's instance ids.
    this.steps = progress.nodeSteps(eid -> runs.getOrDefault(eid, eid), "master");
    // Its waits are indexed by the master's routing, which holds what matches none yet.
    this.engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes)
                .withRegistry(registry)
                .withThreads(threads)
                .withRecordHistory(false)
                .withMaxHeldEvents(maxHeldEvents)
                .withNodeSteps(steps),
            change -> routing.waitsChanged(target, List.of(change), false));
    this.deployed = engine.deploy(view.workflow().graph());
    routing.addLocal(target, this::offer);
  }

  /** An event that names no instance, for this engine's waits; answers the master's ids. */
  private CompletionStage<List<String>> offer(CloudEvent event) {
    List<String> ids = new ArrayList<>();
    for (String eid : engine.route(event).instances()) {
      ids.add(runs.getOrDefault(eid, eid));
    }
    return CompletableFuture.completedFuture(ids);
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
    routing.removeLocal(target);
    engine.close();
    runtimes.close();
  }
}

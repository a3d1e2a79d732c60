package io.sluice.engine.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.internal.PartitionedEngine;
import io.sluice.model.WorkflowGraph;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The engine of one worker in a cluster (docs/design.md, Worker-side scheduling): it holds the
 * triggers of its part of each deployed workflow, fires its own nodes, and sends edge events for
 * successors held elsewhere straight to their workers through its {@link EventRouter}.
 */
public interface WorkerEngine extends AutoCloseable {

  /**
   * A worker engine. Each deployment gets runtimes for its {@link Binding}'s scales (created once
   * per scale); {@code extraRuntimes} (e.g. a {@code java} runtime with registered functions) are
   * added to all of them.
   */
  static WorkerEngine create(
      String workerId,
      EngineOptions options,
      EventRouter router,
      List<io.sluice.runtime.FunctionRuntime> extraRuntimes) {
    return new PartitionedEngine(workerId, options, router, extraRuntimes);
  }

  /**
   * What the function runtimes of this engine hold: its base runtimes and those it made per
   * deployment (e.g. synthetic functions at a deployment's time scale, in containers), each counted
   * once. The worker's FaaStore budget and heartbeat read it.
   */
  io.sluice.runtime.Footprint footprint();

  String workerId();

  /**
   * Validates and compiles a workflow version with its placement (node id -> worker id, every
   * node); returns the ids of the nodes this worker holds. Deploying the same key again replaces
   * the placement for instances started afterwards.
   */
  Set<String> deploy(
      WorkflowKey key, WorkflowGraph graph, Map<String, String> placement, Binding binding);

  /**
   * As {@link #deploy(WorkflowKey, WorkflowGraph, Map, Binding)}; {@code trusted} when an admin
   * registered the workflow. An engine whose runtimes carry an allow-list ({@code security.allow})
   * refuses an untrusted deployment with a function it does not allow (PERMISSION_DENIED), and
   * checks its {@code http} calls' URLs; a trusted one runs any function.
   */
  default Set<String> deploy(
      WorkflowKey key,
      WorkflowGraph graph,
      Map<String, String> placement,
      Binding binding,
      boolean trusted) {
    return deploy(key, graph, placement, binding);
  }

  boolean deployed(WorkflowKey key);

  /**
   * Starts this worker's part of an instance. Edge events that arrived for it before are held, then
   * delivered in arrival order.
   */
  void start(String instanceId, WorkflowKey key, JsonNode input);

  /**
   * As {@link #start(String, WorkflowKey, JsonNode)}, with the placement the instance was started
   * with ({@code placementId}: {@link io.sluice.cluster.api.PlacementId} of its node -> worker map;
   * 0 = the latest deployed), so that a placement deployed again meanwhile does not change this
   * part. Throws {@link IllegalArgumentException} when that placement is not (or no longer)
   * deployed here.
   */
  default void start(String instanceId, WorkflowKey key, JsonNode input, long placementId) {
    start(instanceId, key, input);
  }

  /** An edge event from a peer (at least once; a duplicate changes nothing). */
  void receive(EdgeEvent event);

  /** Cancels this worker's part of an instance, if running, and frees its stored data. */
  boolean cancel(String instanceId);

  /**
   * How outputs reach consumers on other workers (default: inline in the edge event). Set once,
   * before instances start.
   */
  void dataPlane(io.sluice.engine.data.DataPlane plane);

  /**
   * The worker that runs {@code nodeId} of a running instance here (the producer of its output), or
   * empty for an unknown instance or node.
   */
  Optional<String> workerOf(String instanceId, String nodeId);

  /** The workers of {@code nodeId}'s direct successors in a running instance (its consumers). */
  Set<String> consumerWorkersOf(String instanceId, String nodeId);

  /** An external event for an instance's event waits on this worker: {@link #route} accepted it. */
  boolean deliver(CloudEvent event);

  /**
   * Routes an external event among this worker's instances: one addressed to an instance goes to
   * it; one that names none goes to the instances whose started event waits here match it. Nothing
   * is held here: the master holds events that match no wait (it hears of every wait through {@link
   * EventRouter#eventWait}).
   */
  io.sluice.engine.events.EventOutcome route(CloudEvent event);

  Optional<InstanceStatus> status(String instanceId);

  List<CloudEvent> history(String instanceId);

  /**
   * Runs one node's function here, for master-side scheduling (MasterSP): the master holds the
   * instance and this worker only executes. The call's idempotency keys are those the master's
   * engine made ({@code callKey}); null gives the keys of a top-level node of root instance {@code
   * instanceId}.
   */
  CompletionStage<JsonNode> dispatch(
      WorkflowKey key,
      String instanceId,
      String nodeId,
      JsonNode input,
      int attempt,
      long deadlineNanos,
      io.sluice.runtime.CallKey callKey);

  /** {@link #dispatch(WorkflowKey, String, String, JsonNode, int, long, CallKey)} without keys. */
  default CompletionStage<JsonNode> dispatch(
      WorkflowKey key,
      String instanceId,
      String nodeId,
      JsonNode input,
      int attempt,
      long deadlineNanos) {
    return dispatch(key, instanceId, nodeId, input, attempt, deadlineNanos, null);
  }

  /**
   * Records call outcomes in {@code journal} (durable clusters; default {@code Journal.NONE}). Set
   * once, before instances start.
   */
  void journal(io.sluice.cluster.durable.Journal journal);

  /**
   * Takes over the part that dead worker {@code deadWorker} held of a running instance: runs it
   * here under that worker's name (its edge events and its part result leave from this worker),
   * replaying what the journal recorded — calls with a recorded outcome are not made again, the
   * edges the dead worker had accepted resolve again, and edge events for its nodes that reach this
   * worker (peers send them here once told) go to it. {@code placement} is the instance's own
   * (every node). A repeated adoption of the same part is ignored.
   */
  void adopt(
      String instanceId,
      WorkflowKey key,
      Map<String, String> placement,
      String deadWorker,
      io.sluice.cluster.durable.Recorded recorded);

  /**
   * Prepares a redrive of this worker's own part of an ended instance (docs/durability.md): a part
   * still running (being cancelled) is cancelled and awaited, the ended part is dropped (edge
   * events that arrive from now on are held for the new start), and {@code kept} — the successful
   * call outcomes the journal kept — is answered from instead of calling again. The part then runs
   * again at its next {@link #start}. Completes when ready.
   */
  default CompletionStage<Void> prepareRedrive(
      String instanceId, Map<String, io.sluice.cluster.durable.CallOutcome> kept) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this engine cannot redrive instances"));
  }

  /** Parts of running instances this worker took over from dead workers. */
  int adoptedParts();

  /** Function calls running on this worker now (instances' tasks and dispatched ones). */
  int activeInvocations();

  @Override
  void close();
}

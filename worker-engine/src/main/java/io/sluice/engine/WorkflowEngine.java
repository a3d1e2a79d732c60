package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.internal.EmbeddedEngine;
import io.sluice.model.WorkflowGraph;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs workflow instances as event-driven state machines (docs/design.md, The state machine): each
 * instance's transitions are triggers fired by events, de-duplicated by event id, one thread at a
 * time per instance.
 */
public interface WorkflowEngine extends AutoCloseable {

  /** An engine that runs every node in this JVM. */
  static WorkflowEngine embedded(EngineOptions options) {
    return new EmbeddedEngine(options);
  }

  /**
   * An engine in this JVM under a router that holds events (the master, for MasterSP): every event
   * wait's start and end goes to {@code listener}, and the engine itself holds no event that names
   * no instance.
   */
  static WorkflowEngine embedded(
      EngineOptions options, io.sluice.engine.events.EventWaitListener listener) {
    return new EmbeddedEngine(options, io.sluice.engine.events.EventHolding.NONE, listener);
  }

  /** An engine in this JVM that holds unmatched correlated events per {@code holding}. */
  static WorkflowEngine embedded(
      EngineOptions options, io.sluice.engine.events.EventHolding holding) {
    return new EmbeddedEngine(options, holding, null);
  }

  /**
   * Validates the graph, binds its functions and compiles its triggers; throws {@link
   * io.sluice.model.DefinitionException} with every problem.
   */
  DeployedWorkflow deploy(WorkflowGraph graph);

  /** Starts an instance; returns its id. */
  String start(DeployedWorkflow workflow, JsonNode input);

  /**
   * Starts an instance under a given id (a master's own instance id), so that what is derived from
   * the id — its functions' idempotency keys, its child instances' ids — is the same whoever runs
   * it; throws {@link IllegalStateException} if an instance of that id is known here.
   */
  String start(DeployedWorkflow workflow, JsonNode input, String instanceId);

  /** Completes when the instance reaches a terminal state. */
  CompletableFuture<InstanceStatus> completion(String instanceId);

  Optional<InstanceStatus> status(String instanceId);

  /** The instance's events, oldest first, as CloudEvents. */
  List<CloudEvent> history(String instanceId);

  /** Cancels a running instance; false if it is unknown or already finished. */
  boolean cancel(String instanceId);

  /**
   * Delivers an external CloudEvent: {@link #route}, true when it was accepted (taken, held, or a
   * duplicate).
   */
  boolean deliver(CloudEvent event);

  /**
   * Routes an external CloudEvent (docs/architecture.md, Event routing). An event addressed to an
   * instance (extension {@code sluiceinstance}, or a subject that is a running instance's id) goes
   * to it, and is held by the instance until one of its event waits accepts it. An event that names
   * no instance goes to every instance whose started event wait matches it (type, correlation key,
   * jq correlation); if none does it is held (bounded per type, for a while) for a wait that starts
   * later, or reported unmatched. A redelivered event (same source and id) is reported as a
   * duplicate and not routed again.
   */
  io.sluice.engine.events.EventOutcome route(CloudEvent event);

  @Override
  void close();
}

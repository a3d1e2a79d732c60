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
   * Validates the graph, binds its functions and compiles its triggers; throws {@link
   * io.sluice.model.DefinitionException} with every problem.
   */
  DeployedWorkflow deploy(WorkflowGraph graph);

  /** Starts an instance; returns its id. */
  String start(DeployedWorkflow workflow, JsonNode input);

  /** Completes when the instance reaches a terminal state. */
  CompletableFuture<InstanceStatus> completion(String instanceId);

  Optional<InstanceStatus> status(String instanceId);

  /** The instance's events, oldest first, as CloudEvents. */
  List<CloudEvent> history(String instanceId);

  /** Cancels a running instance; false if it is unknown or already finished. */
  boolean cancel(String instanceId);

  /**
   * Delivers an external CloudEvent. Its subject names the instance; an event that no event wait of
   * the instance accepts yet is held until one does.
   *
   * @return false if no running instance has that id
   */
  boolean deliver(CloudEvent event);

  @Override
  void close();
}

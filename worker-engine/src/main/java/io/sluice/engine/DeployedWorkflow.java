package io.sluice.engine;

import io.sluice.model.WorkflowGraph;

/** A workflow whose triggers are compiled and whose functions are bound, ready to start. */
public interface DeployedWorkflow {
  WorkflowGraph graph();

  /** How many triggers the compiler produced (one per node of every nested graph). */
  int triggerCount();
}

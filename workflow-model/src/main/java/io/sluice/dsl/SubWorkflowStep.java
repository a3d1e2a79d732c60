package io.sluice.dsl;

import io.sluice.model.NodeOptions;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.WorkflowGraph;

/** Runs another workflow as one step (a workflow is itself a function). */
public final class SubWorkflowStep extends NodeStep<SubWorkflowStep> {
  private final WorkflowGraph workflow;

  SubWorkflowStep(String id, WorkflowGraph workflow) {
    super(id);
    this.workflow = workflow;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new SubWorkflowNode(id, workflow, options));
    return Fragment.single(id);
  }
}

package io.sluice.model;

import java.util.Objects;
import java.util.Optional;

/** Runs another workflow as one step: its input is this node's input, its output this node's. */
public record SubWorkflowNode(String id, WorkflowGraph workflow, NodeOptions options)
    implements Node {
  public SubWorkflowNode {
    Ids.check(id);
    Objects.requireNonNull(workflow, "workflow");
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "subworkflow";
  }

  @Override
  public SubWorkflowNode withOptions(NodeOptions o) {
    return new SubWorkflowNode(id, workflow, o);
  }

  @Override
  public Optional<WorkflowGraph> innerGraph() {
    return Optional.of(workflow);
  }
}

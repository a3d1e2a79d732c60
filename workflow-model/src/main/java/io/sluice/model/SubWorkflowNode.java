package io.sluice.model;

import java.util.Objects;

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
}

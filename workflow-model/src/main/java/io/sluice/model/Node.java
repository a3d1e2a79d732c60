package io.sluice.model;

/**
 * A node of the static workflow graph. Control flow between nodes is carried by {@link Edge}s of
 * the enclosing {@link WorkflowGraph}; a node only says what happens when it fires.
 */
public sealed interface Node
    permits TaskNode,
        SwitchNode,
        MapNode,
        LoopNode,
        WaitNode,
        EventWaitNode,
        SubWorkflowNode,
        PassNode,
        EndNode {

  String id();

  NodeOptions options();

  /** A short lower-case name of the node's kind, as written in the native format. */
  String kind();

  default Location location() {
    return options().location();
  }
}

package io.sluice.model;

import java.util.Optional;

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

  /**
   * The graph this node runs inside it: a map's iterator, a loop's body, a sub-workflow's workflow;
   * empty for every other kind. Every kind has at most one. {@link GraphWalk} walks these nested
   * graphs for code that needs all of them.
   */
  default Optional<WorkflowGraph> innerGraph() {
    return Optional.empty();
  }

  /**
   * A copy of this node, of the same kind and with the same fields, but with {@code options}
   * ({@code null} = {@link NodeOptions#DEFAULT}). The one way to change what every node carries
   * (hints, retry, catchers, input and output mappings, location) without a case per kind.
   */
  Node withOptions(NodeOptions options);

  /** A copy of this node with other hints; this node itself when they are the same. */
  default Node withHints(Hints hints) {
    return options().hints().equals(hints) ? this : withOptions(options().withHints(hints));
  }
}

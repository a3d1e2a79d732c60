package io.sluice.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A bounded loop: runs {@code body} with the node's input, then again with the previous iteration's
 * output while {@code condition} (jq over that output; {@code $iteration} is the 1-based count so
 * far) is truthy, at most {@code maxIterations} times. The graph itself stays acyclic: a loop is
 * declared, never an accidental back edge.
 */
public record LoopNode(
    String id, WorkflowGraph body, Expr condition, int maxIterations, NodeOptions options)
    implements Node {
  public LoopNode {
    Ids.check(id);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(condition, "condition");
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "loop";
  }

  @Override
  public LoopNode withOptions(NodeOptions o) {
    return new LoopNode(id, body, condition, maxIterations, o);
  }

  @Override
  public Optional<WorkflowGraph> innerGraph() {
    return Optional.of(body);
  }
}

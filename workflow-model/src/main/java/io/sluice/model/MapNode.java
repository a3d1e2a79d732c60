package io.sluice.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Dynamic fan-out: {@code items} (jq over the node's input) yields an array; {@code iterator} runs
 * once per element (its input is the element), at most {@code maxConcurrency} at a time (0 = no
 * limit). The node's output is the array of the iterations' outputs, in item order.
 */
public record MapNode(
    String id, Expr items, WorkflowGraph iterator, int maxConcurrency, NodeOptions options)
    implements Node {
  public MapNode {
    Ids.check(id);
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(iterator, "iterator");
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must be >= 0, got " + maxConcurrency);
    }
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "map";
  }

  @Override
  public MapNode withOptions(NodeOptions o) {
    return new MapNode(id, items, iterator, maxConcurrency, o);
  }

  @Override
  public Optional<WorkflowGraph> innerGraph() {
    return Optional.of(iterator);
  }
}

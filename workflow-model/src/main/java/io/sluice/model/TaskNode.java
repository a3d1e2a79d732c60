package io.sluice.model;

import java.util.Objects;

/** Calls a function, by its name in the workflow's or the cluster's function registry. */
public record TaskNode(String id, String function, NodeOptions options) implements Node {
  public TaskNode {
    Ids.check(id);
    Objects.requireNonNull(function, "function");
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "task";
  }

  @Override
  public TaskNode withOptions(NodeOptions o) {
    return new TaskNode(id, function, o);
  }
}

package io.sluice.dsl;

import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;

/** Calls a function by name. */
public final class TaskStep extends NodeStep<TaskStep> {
  private final String function;

  TaskStep(String id, String function) {
    super(id);
    this.function = function;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new TaskNode(id, function, options));
    return Fragment.single(id);
  }
}

package io.sluice.dsl;

import io.sluice.model.LoopNode;
import io.sluice.model.NodeOptions;
import io.sluice.model.WorkflowGraph;

/** Runs a body, then again on its output while a condition holds, a bounded number of times. */
public final class LoopStep extends NodeStep<LoopStep> {
  /** The bound when none is given (the native format's default too). */
  public static final int DEFAULT_MAX_ITERATIONS = 100;

  private final WorkflowGraph body;
  private String condition;
  private int maxIterations = DEFAULT_MAX_ITERATIONS;

  LoopStep(String id, WorkflowGraph body) {
    super(id);
    this.body = body;
  }

  /** Repeats while this jq expression over the body's output ({@code $iteration} bound) holds. */
  public LoopStep whileTrue(String jq) {
    this.condition = jq;
    return this;
  }

  public LoopStep maxIterations(int max) {
    this.maxIterations = max;
    return this;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    if (condition == null) {
      throw new IllegalStateException("loop '" + id + "' needs whileTrue(jq)");
    }
    a.put(new LoopNode(id, body, a.expr(condition), maxIterations, options));
    return Fragment.single(id);
  }
}

package io.sluice.engine.internal;

import io.sluice.model.FunctionDef;
import io.sluice.model.Node;
import io.sluice.runtime.FunctionRuntime;

/**
 * The compiled form of one node: an Event-Condition-Action trigger. It is activated by the events
 * of its incoming edges (a predecessor completed, was skipped or failed into a catch), its
 * condition is a join over those edges counted once per edge (so a redelivered event never counts
 * twice), and its action is what the node does.
 */
final class Trigger {
  final int index;
  final String nodeId;
  final Node node;
  final Action action;

  /** Global edge indices of incoming edges, and the predecessor of each. */
  final int[] inEdges;

  final int[] inFrom;

  /** Global edge indices of outgoing edges. */
  final int[] outEdges;

  /** 0 = all edges that can still fire; n = the first n results. */
  final int quorum;

  /** Whether the node's result counts as the workflow's output. */
  final boolean sink;

  /** For function calls: the bound function and its runtime. */
  final FunctionDef function;

  final FunctionRuntime runtime;

  /**
   * For function calls: the direct successors (over non-catch edges) that are function calls too,
   * to hint their runtimes when this one starts; empty when none. Set once by the compiler, before
   * the workflow is published.
   */
  int[] prewarm = NO_SUCCESSORS;

  static final int[] NO_SUCCESSORS = new int[0];

  /** For maps, loops and sub-workflows: the compiled inner workflow. */
  final CompiledWorkflow child;

  Trigger(
      int index,
      Node node,
      Action action,
      int[] inEdges,
      int[] inFrom,
      int[] outEdges,
      boolean sink,
      FunctionDef function,
      FunctionRuntime runtime,
      CompiledWorkflow child) {
    this.index = index;
    this.nodeId = node.id();
    this.node = node;
    this.action = action;
    this.inEdges = inEdges;
    this.inFrom = inFrom;
    this.outEdges = outEdges;
    this.quorum = node.options().join().quorum();
    this.sink = sink;
    this.function = function;
    this.runtime = runtime;
    this.child = child;
  }

  int inDegree() {
    return inEdges.length;
  }

  /**
   * The join condition: given how many incoming edges resolved and how many carried a result,
   * whether to fire (1), skip (-1) or keep waiting (0).
   */
  int decide(int resolved, int active) {
    int degree = inEdges.length;
    if (quorum == 0) {
      if (resolved < degree) {
        return 0;
      }
      return active > 0 ? 1 : -1;
    }
    if (active >= quorum) {
      return 1;
    }
    return active + (degree - resolved) < quorum ? -1 : 0;
  }
}

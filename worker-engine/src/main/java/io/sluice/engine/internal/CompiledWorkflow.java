package io.sluice.engine.internal;

import io.sluice.engine.DeployedWorkflow;
import io.sluice.model.Edge;
import io.sluice.model.WorkflowGraph;
import java.util.Map;

/** A workflow compiled into triggers over dense indices, shared by all its instances. */
final class CompiledWorkflow implements DeployedWorkflow {
  final WorkflowGraph graph;
  final Trigger[] triggers;
  final Map<String, Integer> indexOf;

  /** Per global edge index: source trigger, target trigger, kind. */
  final int[] edgeFrom;

  final int[] edgeTo;
  final Edge.Kind[] edgeKind;

  /** Triggers with no incoming edge: they fire on instance start. */
  final int[] entries;

  CompiledWorkflow(
      WorkflowGraph graph,
      Trigger[] triggers,
      Map<String, Integer> indexOf,
      int[] edgeFrom,
      int[] edgeTo,
      Edge.Kind[] edgeKind,
      int[] entries) {
    this.graph = graph;
    this.triggers = triggers;
    this.indexOf = indexOf;
    this.edgeFrom = edgeFrom;
    this.edgeTo = edgeTo;
    this.edgeKind = edgeKind;
    this.entries = entries;
    boolean any = false;
    for (Trigger t : triggers) {
      any |= t.runtime != null && t.function != null && t.runtime.runsOnCaller(t.function);
      any |= t.child != null && t.child.runsCallerCode();
    }
    this.runsCallerCode = any;
  }

  /**
   * Whether any function of this workflow (or of its maps, loops and sub-workflows) runs its own
   * code on the thread that drains an instance: then a drain must not run on a network I/O thread.
   */
  private final boolean runsCallerCode;

  boolean runsCallerCode() {
    return runsCallerCode;
  }

  @Override
  public WorkflowGraph graph() {
    return graph;
  }

  @Override
  public int triggerCount() {
    int n = triggers.length;
    for (Trigger t : triggers) {
      if (t.child != null) {
        n += t.child.triggerCount();
      }
    }
    return n;
  }

  int size() {
    return triggers.length;
  }
}

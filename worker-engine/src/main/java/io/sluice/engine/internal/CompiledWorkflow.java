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

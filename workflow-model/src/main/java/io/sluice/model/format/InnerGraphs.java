package io.sluice.model.format;

import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.WorkflowGraph;

/** The graph a node runs inside it (a map's iterator, a loop's body, a sub-workflow), if any. */
final class InnerGraphs {
  private InnerGraphs() {}

  static WorkflowGraph of(Node n) {
    if (n instanceof MapNode m) {
      return m.iterator();
    } else if (n instanceof LoopNode l) {
      return l.body();
    } else if (n instanceof SubWorkflowNode s) {
      return s.workflow();
    }
    return null;
  }
}

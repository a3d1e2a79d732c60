package io.sluice.master.partition;

import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Hints;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.PassNode;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;

/** Copies of nodes with other hints (the model's node records have no common copy method). */
final class NodeHints {
  private NodeHints() {}

  static Node with(Node n, Hints h) {
    if (n.options().hints().equals(h)) {
      return n;
    }
    var o = n.options().withHints(h);
    if (n instanceof TaskNode t) {
      return new TaskNode(t.id(), t.function(), o);
    } else if (n instanceof SwitchNode s) {
      return new SwitchNode(s.id(), s.cases(), s.defaultTarget(), o);
    } else if (n instanceof MapNode m) {
      return new MapNode(m.id(), m.items(), m.iterator(), m.maxConcurrency(), o);
    } else if (n instanceof LoopNode l) {
      return new LoopNode(l.id(), l.body(), l.condition(), l.maxIterations(), o);
    } else if (n instanceof WaitNode w) {
      return new WaitNode(w.id(), w.duration(), o);
    } else if (n instanceof EventWaitNode e) {
      return new EventWaitNode(e.id(), e.eventType(), e.correlation(), o);
    } else if (n instanceof SubWorkflowNode s) {
      return new SubWorkflowNode(s.id(), s.workflow(), o);
    } else if (n instanceof PassNode p) {
      return new PassNode(p.id(), o);
    } else if (n instanceof EndNode e) {
      return new EndNode(e.id(), e.fail(), e.error(), e.cause(), o);
    }
    throw new IllegalArgumentException("unknown node kind " + n.kind() + " of node " + n.id());
  }
}

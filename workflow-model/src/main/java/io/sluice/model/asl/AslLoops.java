package io.sluice.model.asl;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.LoopNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state machine with a loop (a transition back to an earlier state). Sluice graphs are acyclic,
 * so such a machine runs as one loop node whose body executes one state per pass: the body's {@code
 * ~dispatch} switch picks the state named by the envelope {@code {state, data, exec}}, the state
 * runs on {@code data}, and a {@code ~goto~T} node names the next state T ({@code ~end}: none,
 * which ends the loop). Machines without a loop keep the direct graph, one node per state.
 */
final class AslLoops {
  /** Most states one looping machine executes (Step Functions stops at 25,000 history events). */
  static final int MAX_STEPS = 100_000;

  private AslLoops() {}

  static WorkflowGraph loop(
      String name,
      String startAt,
      Set<String> states,
      List<String> ending,
      Map<String, Node> nodes,
      List<Edge> edges,
      boolean nested,
      io.sluice.model.Location at,
      io.sluice.model.format.ContextThreading.Spec context) {
    Map<String, Node> body = new LinkedHashMap<>();
    List<Edge> bodyEdges = new ArrayList<>();
    List<SwitchNode.Case> cases = new ArrayList<>();
    for (String s : states) {
      if (nodes.containsKey(s)) {
        cases.add(new SwitchNode.Case(Expr.of(".state == " + JqStrings.literal(s)), s));
        bodyEdges.add(new Edge("~dispatch", s, Edge.Kind.BRANCH));
      }
    }
    body.put(
        "~dispatch",
        new SwitchNode("~dispatch", cases, null, NodeOptions.DEFAULT.withOutput(Expr.of(".data"))));
    for (Node n : nodes.values()) {
      Node moved = n instanceof SwitchNode sw ? retarget(sw, states) : n;
      if (context != null && moved != n) {
        context.moved(n, moved);
      }
      body.put(n.id(), moved);
    }
    for (Edge e : edges) {
      if (states.contains(e.to())) {
        String go = "~goto~" + e.to();
        body.computeIfAbsent(go, id -> goTo(id, JqStrings.literal(e.to())));
        bodyEdges.add(new Edge(e.from(), go, e.kind()));
      } else {
        bodyEdges.add(e);
      }
    }
    if (!ending.isEmpty()) {
      body.put("~end", goTo("~end", "null"));
      for (String s : ending) {
        bodyEdges.add(Edge.next(s, "~end"));
      }
    }
    WorkflowGraph g =
        new WorkflowGraph(
            name + "~step", "1", body, bodyEdges, List.of("~dispatch"), Map.of(), null, at);
    String in =
        nested
            ? "{state: " + JqStrings.literal(startAt) + ", data: .raw, exec: .exec}"
            : "{state: " + JqStrings.literal(startAt) + ", data: ., exec: $workflow}";
    LoopNode loop =
        new LoopNode(
            "~loop",
            g,
            Expr.of(".state != null"),
            MAX_STEPS,
            NodeOptions.DEFAULT
                .withInput(Expr.of(in))
                .withOutput(Expr.of(".data"))
                .withLocation(at));
    return new WorkflowGraph(
        name, "1", Map.of("~loop", loop), List.of(), List.of("~loop"), Map.of(), null, at);
  }

  /** A Choice's targets that are states become their goto nodes. */
  private static SwitchNode retarget(SwitchNode sw, Set<String> states) {
    List<SwitchNode.Case> cases = new ArrayList<>();
    for (SwitchNode.Case c : sw.cases()) {
      cases.add(new SwitchNode.Case(c.condition(), goTarget(c.target(), states)));
    }
    String dflt = sw.defaultTarget() == null ? null : goTarget(sw.defaultTarget(), states);
    return new SwitchNode(sw.id(), cases, dflt, sw.options());
  }

  private static String goTarget(String target, Set<String> states) {
    return states.contains(target) ? "~goto~" + target : target;
  }

  private static PassNode goTo(String id, String state) {
    return new PassNode(
        id,
        NodeOptions.DEFAULT.withInput(
            Expr.of("{state: " + state + ", data: ., exec: $workflow.exec}")));
  }
}

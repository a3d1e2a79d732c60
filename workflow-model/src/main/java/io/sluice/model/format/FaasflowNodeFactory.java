package io.sluice.model.format;

import io.sluice.model.EndNode;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one FaaSFlow function into its node: task, switch, map, pass or end. */
final class FaasflowNodeFactory {
  static final String SYNTHETIC = "synthetic";

  private final SourceDocument doc;
  private final List<Problem> problems;
  private final FaasflowGraphBuilder graph;
  final Map<String, FunctionDef> functions = new LinkedHashMap<>();

  FaasflowNodeFactory(SourceDocument doc, List<Problem> problems, FaasflowGraphBuilder graph) {
    this.doc = doc;
    this.problems = problems;
    this.graph = graph;
  }

  Node node(FaasflowFunction f) {
    Location loc = doc.locate(f.json());
    NodeOptions options = NodeOptions.DEFAULT.withLocation(loc);
    List<String> preds = graph.predecessorsOf(f.name());
    if (preds.size() > 1) {
      options = options.withInput(new Expr(JqText.mergeInputs(preds), loc));
    }
    if (f.isVirtual()) {
      return f.isSwitch() ? switchNode(f, options) : new PassNode(f.name(), options);
    }
    if (f.isEnd()) {
      return new EndNode(f.name(), false, null, null, options);
    }
    FaasflowFunction parent = graph.foreachParent.get(f.name());
    if (parent != null) {
      return mapNode(f, parent, options);
    }
    declare(f, loc);
    return new TaskNode(
        f.name(), f.source(), options.withHints(hints(f)).withOutput(graph.outputMapping(f)));
  }

  private static Hints hints(FaasflowFunction f) {
    return new Hints(
        Duration.ofNanos(Math.round(f.runtimeSeconds() * 1e9)),
        f.outputBytes(),
        f.memoryBytes(),
        0);
  }

  private void declare(FaasflowFunction f, Location loc) {
    functions.putIfAbsent(f.source(), new FunctionDef(f.source(), SYNTHETIC, null, loc));
  }

  /**
   * A foreach child becomes a map over its parent's keys list; the iterator runs the child's
   * function once per key with the child's hints. The map's own hints: the child's compute time
   * (the iterations run side by side) and split_ratio times its output.
   */
  private Node mapNode(FaasflowFunction c, FaasflowFunction parent, NodeOptions options) {
    Location loc = options.location();
    declare(c, loc);
    String field = graph.keysField(parent, c);
    Expr items = new Expr(field == null ? "." : JqText.field("", field), loc);
    TaskNode body =
        new TaskNode(
            c.name(), c.source(), NodeOptions.DEFAULT.withLocation(loc).withHints(hints(c)));
    WorkflowGraph iterator =
        new WorkflowGraph(
            c.name(),
            "1",
            Map.of(c.name(), body),
            List.of(),
            List.of(),
            Map.of(c.source(), functions.get(c.source())),
            null,
            loc);
    Hints h = hints(c).withOutputBytes(c.outputBytes() * c.splitRatio());
    return new MapNode(c.name(), items, iterator, 0, options.withHints(h));
  }

  private Node switchNode(FaasflowFunction f, NodeOptions options) {
    Location condLoc = doc.locate(f.json().path("next"), "conditions");
    List<String> targets = f.nextNodes();
    List<String> conditions = f.conditions();
    if (conditions.size() != targets.size()) {
      problems.add(
          new Problem(
              condLoc,
              f.name(),
              "a switch needs one condition per next node: "
                  + conditions.size()
                  + " conditions for "
                  + targets.size()
                  + " nodes"));
    }
    List<SwitchNode.Case> cases = new ArrayList<>();
    String defaultTarget = null;
    for (int i = 0; i < Math.min(conditions.size(), targets.size()); i++) {
      String condition = conditions.get(i).trim();
      if (condition.equals("default")) {
        if (defaultTarget != null) {
          problems.add(new Problem(condLoc, f.name(), "more than one 'default' condition"));
        }
        defaultTarget = targets.get(i);
        continue;
      }
      try {
        cases.add(
            new SwitchNode.Case(
                new Expr(PythonCondition.toJq(condition), condLoc), targets.get(i)));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(condLoc, f.name(), e.getMessage()));
      }
    }
    return new SwitchNode(f.name(), cases, defaultTarget, options);
  }
}

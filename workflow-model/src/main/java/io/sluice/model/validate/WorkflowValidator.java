package io.sluice.model.validate;

import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.GraphIndex;
import io.sluice.model.GraphWalk;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.Problem;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.JqEvaluator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one validator for graphs from every front end (native format, DSL, importers). It reports
 * every problem at once, each with its location and node: dangling edges, cycles, unreachable
 * nodes, unknown functions, bad jq expressions, switches without cases, impossible joins; the inner
 * graphs of map, loop and subworkflow nodes are checked too (their nodes named {@code outer/inner},
 * and the problems of an inner graph follow those of its node). Linear in the size of the graph and
 * iterative: {@link GraphWalk} does the nesting, not recursion.
 */
public final class WorkflowValidator {
  private static final int LISTED = 10;

  /**
   * Returns every problem of {@code g}; empty when it is valid.
   *
   * @param functionKnown whether a function name that the workflow does not declare itself is known
   *     elsewhere (the function registry, or the synthetic runtime)
   */
  public List<Problem> validate(WorkflowGraph g, Predicate<String> functionKnown) {
    List<Problem> problems = new ArrayList<>();
    GraphWalk.depthFirst(g, new Checker(functionKnown, problems));
    return problems;
  }

  /**
   * Returns {@code g} if it is valid, else throws a {@link DefinitionException} with every problem.
   */
  public WorkflowGraph requireValid(WorkflowGraph g, Predicate<String> functionKnown) {
    List<Problem> problems = validate(g, functionKnown);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return g;
  }

  /**
   * Checks each graph as the walk enters it and each node as the walk visits it, so an inner
   * graph's problems follow its owner node's. A function is known in a graph if the graph or any
   * graph enclosing it declares it, or {@code known} knows it.
   */
  private static final class Checker implements GraphWalk.Visitor {
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private final Predicate<String> known;
    private final List<Problem> problems;

    Checker(Predicate<String> known, List<Problem> problems) {
      this.known = known;
      this.problems = problems;
    }

    /** What the nodes of one graph are checked against. */
    private record Scope(GraphIndex idx, Predicate<String> functions, ProblemSink sink) {}

    @Override
    public void enterGraph(GraphWalk.NestedGraph nested) {
      WorkflowGraph g = nested.graph();
      Predicate<String> outer = scopes.isEmpty() ? known : scopes.peek().functions();
      Predicate<String> scope = name -> g.functions().containsKey(name) || outer.test(name);
      ProblemSink sink = new ProblemSink(problems, nested.prefix());
      GraphIndex idx = GraphIndex.of(g);
      scopes.push(new Scope(idx, scope, sink));
      check(g, idx, sink);
    }

    @Override
    public void visitNode(GraphWalk.NestedNode n) {
      Scope s = scopes.peek();
      checkNode(n.node(), s.idx(), s.functions(), s.sink());
    }

    @Override
    public void leaveGraph(GraphWalk.NestedGraph nested) {
      scopes.pop();
    }
  }

  private static void check(WorkflowGraph g, GraphIndex idx, ProblemSink sink) {
    if (g.nodes().isEmpty()) {
      sink.add(g.location(), null, "workflow '" + g.name() + "' has no nodes");
      return;
    }
    for (String s : g.start()) {
      if (g.node(s) == null) {
        sink.add(g.location(), null, "start '" + s + "' is not a node of this workflow");
      }
    }
    new EdgeChecks(g, sink).run(idx);
    checkCycles(g, idx, sink);
    checkReachable(g, idx, sink);
    expr(g.output(), "workflow output", null, sink);
  }

  private static void checkNode(Node n, GraphIndex idx, Predicate<String> known, ProblemSink sink) {
    expr(n.options().input(), "input", n.id(), sink);
    expr(n.options().output(), "output", n.id(), sink);
    int quorum = n.options().join().quorum();
    int incoming = idx.incoming(n.id()).size();
    if (quorum > incoming) {
      sink.add(
          n.location(),
          n.id(),
          "join waits for " + quorum + " results but only " + incoming + " edges lead here");
    }
    if (n instanceof EndNode
        && idx.outgoing(n.id()).stream().anyMatch(e -> e.kind() != Edge.Kind.CATCH)) {
      sink.add(n.location(), n.id(), "an end node ends its path: remove its 'next'");
    }
    if (n instanceof TaskNode t && !known.test(t.function())) {
      sink.add(
          n.location(),
          n.id(),
          "unknown function '"
              + t.function()
              + "': declare it in the workflow's functions or the function registry");
    } else if (n instanceof SwitchNode s) {
      for (SwitchNode.Case c : s.cases()) {
        expr(c.condition(), "switch case", n.id(), sink);
      }
    } else if (n instanceof MapNode m) {
      expr(m.items(), "items", n.id(), sink);
    } else if (n instanceof LoopNode l) {
      expr(l.condition(), "while", n.id(), sink);
    } else if (n instanceof EventWaitNode e) {
      expr(e.correlation(), "correlation", n.id(), sink);
      if (e.correlate() != null) {
        expr(e.correlate().value(), "correlate", n.id(), sink);
      }
    }
  }

  private static void expr(Expr e, String what, String nodeId, ProblemSink sink) {
    if (e == null) {
      return;
    }
    String error = JqEvaluator.shared().check(e.source());
    if (error != null) {
      sink.add(e.location(), nodeId, "bad jq expression in " + what + ": " + error);
    }
  }

  private static void checkCycles(WorkflowGraph g, GraphIndex idx, ProblemSink sink) {
    for (int[] cycle : StronglyConnected.cycles(idx)) {
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < Math.min(cycle.length, LISTED); i++) {
        names.append(i == 0 ? "" : ", ").append(idx.id(cycle[i]));
      }
      if (cycle.length > LISTED) {
        names.append(" and ").append(cycle.length - LISTED).append(" more");
      }
      Node first = g.node(idx.id(cycle[0]));
      sink.add(
          first.location(),
          first.id(),
          "cycle through nodes "
              + names
              + ": the graph must be acyclic; repeat steps with a loop node");
    }
  }

  private static void checkReachable(WorkflowGraph g, GraphIndex idx, ProblemSink sink) {
    boolean[] seen = new boolean[idx.size()];
    Deque<Integer> todo = new ArrayDeque<>();
    for (String entry : idx.entries(g)) {
      int i = idx.index(entry);
      if (i >= 0 && !seen[i]) {
        seen[i] = true;
        todo.push(i);
      }
    }
    while (!todo.isEmpty()) {
      for (var e : idx.outgoing(idx.id(todo.pop()))) {
        int j = idx.index(e.to());
        if (!seen[j]) {
          seen[j] = true;
          todo.push(j);
        }
      }
    }
    String from = g.start().isEmpty() ? "any entry node" : "start " + g.start();
    for (int i = 0; i < seen.length; i++) {
      if (!seen[i]) {
        Node n = g.node(idx.id(i));
        sink.add(n.location(), n.id(), "unreachable: no path from " + from + " leads here");
      }
    }
  }
}

package io.sluice.engine.internal;

import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a workflow graph into triggers (one per node, nested graphs compiled recursively) and binds
 * each function call to its runtime. Problems found here (an edge to a missing node, a function
 * bound nowhere, a runtime that does not exist) are collected and thrown together.
 */
final class TriggerCompiler {
  private final FunctionBinder binder;
  private final FunctionRuntimes runtimes;

  TriggerCompiler(FunctionBinder binder, FunctionRuntimes runtimes) {
    this.binder = binder;
    this.runtimes = runtimes;
  }

  CompiledWorkflow compile(WorkflowGraph graph) {
    List<Problem> problems = new ArrayList<>();
    CompiledWorkflow c = compile(graph, new ArrayList<>(), problems, "");
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return c;
  }

  private CompiledWorkflow compile(
      WorkflowGraph g,
      List<Map<String, FunctionDef>> scopes,
      List<Problem> problems,
      String prefix) {
    scopes.add(g.functions());
    int n = g.nodes().size();
    Map<String, Integer> indexOf = new HashMap<>(n * 2);
    Node[] nodes = new Node[n];
    int i = 0;
    for (Node node : g.nodes().values()) {
      nodes[i] = node;
      indexOf.put(node.id(), i++);
    }
    List<Edge> edges = g.edges();
    int m = edges.size();
    int[] from = new int[m];
    int[] to = new int[m];
    Edge.Kind[] kind = new Edge.Kind[m];
    int[] inCount = new int[n];
    int[] outCount = new int[n];
    boolean[] hasFlowOut = new boolean[n];
    for (int e = 0; e < m; e++) {
      Edge edge = edges.get(e);
      Integer f = indexOf.get(edge.from());
      Integer t = indexOf.get(edge.to());
      if (f == null || t == null) {
        Node at = f != null ? nodes[f] : null;
        problems.add(
            new Problem(
                at == null ? g.location() : at.location(),
                prefix + (f == null ? edge.from() : edge.to()),
                "edge " + edge.from() + " -> " + edge.to() + " names a node that does not exist"));
        from[e] = -1;
        continue;
      }
      from[e] = f;
      to[e] = t;
      kind[e] = edge.kind();
      inCount[t]++;
      outCount[f]++;
      if (edge.kind() != Edge.Kind.CATCH) {
        hasFlowOut[f] = true;
      }
    }
    int[][] in = new int[n][];
    int[][] inFrom = new int[n][];
    int[][] out = new int[n][];
    for (int k = 0; k < n; k++) {
      in[k] = new int[inCount[k]];
      inFrom[k] = new int[inCount[k]];
      out[k] = new int[outCount[k]];
      inCount[k] = 0;
      outCount[k] = 0;
    }
    for (int e = 0; e < m; e++) {
      if (from[e] < 0) {
        continue;
      }
      int t = to[e];
      in[t][inCount[t]] = e;
      inFrom[t][inCount[t]++] = from[e];
      out[from[e]][outCount[from[e]]++] = e;
    }
    Trigger[] triggers = new Trigger[n];
    List<Integer> entries = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Node node = nodes[k];
      FunctionDef fn = null;
      FunctionRuntime rt = null;
      CompiledWorkflow child = null;
      if (node instanceof TaskNode task) {
        fn = binder.resolve(task.function(), scopes);
        if (fn == null) {
          problems.add(
              new Problem(
                  node.location(),
                  prefix + node.id(),
                  "unknown function '"
                      + task.function()
                      + "': declare it in the workflow's functions, in a function registry"
                      + " (--functions), or run with --synthetic"));
        } else if (!EventEmitter.RUNTIME.equals(fn.runtime())) {
          rt = bindRuntime(fn, node, prefix, problems);
        }
      } else if (node.innerGraph().isPresent()) {
        child = compile(node.innerGraph().get(), scopes, problems, prefix + node.id() + "/");
      }
      boolean entry = g.start().isEmpty() ? in[k].length == 0 : g.start().contains(node.id());
      if (entry) {
        entries.add(k);
      }
      triggers[k] =
          new Trigger(
              k,
              node,
              fn != null && EventEmitter.RUNTIME.equals(fn.runtime())
                  ? Action.EMIT_EVENT
                  : actionOf(node),
              in[k],
              inFrom[k],
              out[k],
              !hasFlowOut[k],
              fn,
              rt,
              child);
    }
    for (int k = 0; k < n; k++) {
      if (triggers[k].runtime != null) {
        triggers[k].prewarm = taskSuccessors(triggers, out[k], to, kind);
      }
    }
    scopes.remove(scopes.size() - 1);
    return new CompiledWorkflow(
        g,
        triggers,
        indexOf,
        from,
        to,
        kind,
        entries.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The distinct targets of a node's non-catch edges that are bound function calls. */
  private static int[] taskSuccessors(
      Trigger[] triggers, int[] outEdges, int[] to, Edge.Kind[] kind) {
    int[] found = new int[outEdges.length];
    int count = 0;
    for (int e : outEdges) {
      if (kind[e] == Edge.Kind.CATCH || triggers[to[e]].runtime == null) {
        continue;
      }
      boolean seen = false;
      for (int i = 0; i < count; i++) {
        seen |= found[i] == to[e];
      }
      if (!seen) {
        found[count++] = to[e];
      }
    }
    return count == 0 ? Trigger.NO_SUCCESSORS : java.util.Arrays.copyOf(found, count);
  }

  /**
   * The runtime of {@code fn}, or null after recording why it cannot run here: the same check
   * ({@link FunctionRuntimes#check}) as {@code sluice validate}'s, so both agree on what is valid.
   */
  private FunctionRuntime bindRuntime(
      FunctionDef fn, Node node, String prefix, List<Problem> problems) {
    List<Problem> wrong = runtimes.check(fn);
    for (Problem p : wrong) {
      problems.add(
          new Problem(
              node.location(),
              prefix + node.id(),
              "function '" + fn.name() + "' cannot be bound: " + p.message()));
    }
    return wrong.isEmpty() ? runtimes.bind(fn) : null;
  }

  private static Action actionOf(Node node) {
    if (node instanceof TaskNode) {
      return Action.INVOKE_FUNCTION;
    } else if (node instanceof SwitchNode) {
      return Action.EVALUATE_SWITCH;
    } else if (node instanceof MapNode) {
      return Action.EXPAND_MAP;
    } else if (node instanceof LoopNode) {
      return Action.RUN_LOOP;
    } else if (node instanceof WaitNode) {
      return Action.START_TIMER;
    } else if (node instanceof EventWaitNode) {
      return Action.AWAIT_EVENT;
    } else if (node instanceof SubWorkflowNode) {
      return Action.START_SUBWORKFLOW;
    } else if (node instanceof PassNode) {
      return Action.PASS;
    } else if (node instanceof EndNode end) {
      return end.fail() ? Action.FAIL_INSTANCE : Action.END_PATH;
    }
    throw new IllegalStateException("no action for node kind " + node.kind());
  }
}

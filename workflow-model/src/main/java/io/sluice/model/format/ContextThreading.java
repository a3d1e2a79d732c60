package io.sluice.model.format;

import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threads a per-instance mutable context (Serverless Workflow {@code $context}, ASL variables)
 * through a translated graph, inside the data: every edge of a threaded graph carries the envelope
 * {@code {"__ctx": CONTEXT, "__v": DATA}}. The context therefore travels with the flow of control
 * exactly as data does — on edge events between workers, through the store, in journals and part
 * recovery — and the engine knows nothing of it. Only graphs whose importer asks for it are
 * rewritten; every other workflow costs nothing.
 *
 * <p>The rewrite, per node: the input mapping first normalizes what arrives (an envelope; the raw
 * workflow input at an entry, which gets the initial context; an object of several envelopes at a
 * join, whose context is the <em>last</em> one in edge order, i.e. the last branch; a catch payload
 * whose {@code input} holds the envelope: the handler gets the node's data as {@code input}), then
 * applies the node's own mapping to the data with {@code $__ctx} bound. Output mappings run on the
 * data and re-wrap it, with the new context an export expression gives (else the context
 * unchanged). Switch conditions, map items, loop conditions and graph outputs run on the data. A
 * task never sees the envelope: it becomes a one-node sub-workflow of the same id whose input
 * carries the envelope and the task's input ({@code __i}); the inner task gets {@code __i}, the
 * wrapper's output mapping re-wraps its result. Inner graphs get the envelope as input; their
 * expressions see {@code $workflow} as the importer meant it (the envelope's data). The top-level
 * graph's output is unwrapped, so the instance output never shows the envelope (node outputs in the
 * history do).
 *
 * <p>What a node's context is after an inner graph: a loop or sub-workflow passes the inner graph's
 * context out; a map, and a sub-workflow marked {@code scoped}, keep the context they started with
 * (their inner assignments are not visible outside).
 */
public final class ContextThreading {
  /** The key of the context in the envelope. */
  public static final String CTX = "__ctx";

  /** The key of the data in the envelope. */
  public static final String DATA = "__v";

  private static final String IS_ENV =
      "(type == \"object\" and has(\"" + CTX + "\") and has(\"" + DATA + "\"))";

  /** What the importer asks for besides the plain threading. */
  public static final class Spec {
    private final String initial;
    private final Map<Node, String> exports = new IdentityHashMap<>();
    private final Set<Node> scoped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> opaque = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param initial jq of the context an instance starts with
     */
    public Spec(String initial) {
      this.initial = initial;
    }

    /**
     * After {@code node} completes, the context becomes {@code jq}: evaluated with {@code .} the
     * node's output (after its output mapping), {@code $__ctx} the context before, {@code
     * $__result} the node's raw result, {@code $input} its (mapped) input data (a task's: the
     * function's input) and {@code $__data} the data the node received (a task's: before its input
     * mapping). Output mappings see {@code $__data} too.
     */
    public Spec export(Node node, String jq) {
      exports.merge(node, jq, (a, b) -> b);
      return this;
    }

    /** {@code to} replaces {@code from} in the graph: it keeps what {@code from} was given. */
    public Spec moved(Node from, Node to) {
      String e = exports.remove(from);
      if (e != null) {
        exports.put(to, e);
      }
      if (scoped.remove(from)) {
        scoped.add(to);
      }
      if (opaque.remove(from)) {
        opaque.add(to);
      }
      return this;
    }

    /** The context after this sub-workflow is the one before it (inner changes stay inside). */
    public Spec scoped(Node node) {
      scoped.add(node);
      return this;
    }

    /** This sub-workflow runs a foreign graph: it gets the plain data, as a task does. */
    public Spec opaque(Node node) {
      opaque.add(node);
      return this;
    }
  }

  private final Spec spec;

  private ContextThreading(Spec spec) {
    this.spec = spec;
  }

  /** {@code g} rewritten so that every edge carries the context. */
  public static WorkflowGraph apply(WorkflowGraph g, Spec spec) {
    return new ContextThreading(spec).graph(g, false);
  }

  private WorkflowGraph graph(WorkflowGraph g, boolean inner) {
    String wf = inner ? "($workflow." + DATA + ") as $workflow | " : "";
    Map<String, Integer> inCount = new LinkedHashMap<>();
    Set<String> caught = new HashSet<>();
    for (Edge e : g.edges()) {
      inCount.merge(e.to(), 1, Integer::sum);
      if (e.kind() == Edge.Kind.CATCH) {
        caught.add(e.to());
      }
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (Node n : g.nodes().values()) {
      boolean join = inCount.getOrDefault(n.id(), 0) > 1;
      String norm = normalize(inner, join, caught.contains(n.id()));
      out.put(n.id(), node(n, wf, norm));
    }
    String sinks = normalize(inner, true, false);
    String body = g.output() == null ? "." : "(" + g.output().source() + ")";
    String output =
        wf
            + sinks
            + " | . as $__E | $__E."
            + CTX
            + " as $__ctx | ($__E."
            + DATA
            + " | "
            + body
            + ")"
            + (inner ? " | {" + CTX + ": $__ctx, " + DATA + ": .}" : "");
    return new WorkflowGraph(
        g.name(),
        g.version(),
        out,
        g.edges(),
        g.start(),
        g.functions(),
        new Expr(output, g.output() == null ? g.location() : g.output().location()),
        g.location());
  }

  /** jq turning whatever arrives at a node into an envelope. */
  private String normalize(boolean inner, boolean join, boolean caught) {
    StringBuilder b = new StringBuilder("(if ").append(IS_ENV).append(" then .");
    if (caught) {
      b.append(" elif type == \"object\" and has(\"error\") and has(\"node\") and (.input | ")
          .append(IS_ENV)
          .append(") then {")
          .append(CTX)
          .append(": .input.")
          .append(CTX)
          .append(", ")
          .append(DATA)
          .append(": (. + {input: .input.")
          .append(DATA)
          .append("})}");
    }
    if (join) {
      b.append(" elif type == \"object\" and length > 0 and ([.[] | ")
          .append(IS_ENV)
          .append("] | all) then {")
          .append(CTX)
          .append(": ([.[]] | last | .")
          .append(CTX)
          .append("), ")
          .append(DATA)
          .append(": map_values(.")
          .append(DATA)
          .append(")}");
    }
    b.append(" else {")
        .append(CTX)
        .append(": ")
        .append(inner ? "{}" : "(" + spec.initial + ")")
        .append(", ")
        .append(DATA)
        .append(": .} end)");
    return b.toString();
  }

  private Node node(Node n, String wf, String norm) {
    if (n instanceof TaskNode || (n instanceof SubWorkflowNode && spec.opaque.contains(n))) {
      return wrapped(n, wf, norm);
    }
    NodeOptions o = n.options();
    Expr in = o.input();
    String input =
        wf
            + norm
            + (in == null
                ? ""
                : " | . as $__E | $__E."
                    + CTX
                    + " as $__ctx | ($__E."
                    + DATA
                    + " | "
                    + in.source()
                    + ") | {"
                    + CTX
                    + ": $__ctx, "
                    + DATA
                    + ": .}");
    o = o.withInput(new Expr(input, in == null ? o.location() : in.location()));
    String export = spec.exports.get(n);
    Expr mapping = o.output();
    // where the result's data and the context after the node come from
    // where the result's data and the context after the node come from: a pass, switch, wait or
    // end node's result is its (enveloped) input; a loop's or sub-workflow's the inner graph's
    // envelope; an event's the event, a map's the array of its iterations' envelopes
    boolean fromInput =
        n instanceof EventWaitNode
            || n instanceof MapNode
            || (n instanceof SubWorkflowNode && spec.scoped.contains(n));
    String result =
        n instanceof EventWaitNode ? "." : n instanceof MapNode ? "map(." + DATA + ")" : "." + DATA;
    String ctx = fromInput ? "$input." + CTX : "." + CTX;
    boolean always = fromInput;
    if (always || mapping != null || export != null) {
      String expr =
          wf
              + "("
              + ctx
              + ") as $__ctx | ("
              + result
              + ") as $__result | ($input."
              + DATA
              + ") as $input | $input as $__data | $__result | "
              + (mapping == null ? "." : "(" + mapping.source() + ")")
              + " | {"
              + CTX
              + ": "
              + (export == null ? "$__ctx" : "(" + export + ")")
              + ", "
              + DATA
              + ": .}";
      o = o.withOutput(new Expr(expr, mapping == null ? o.location() : mapping.location()));
    }
    if (n instanceof SwitchNode s) {
      List<SwitchNode.Case> cases = new ArrayList<>();
      for (SwitchNode.Case c : s.cases()) {
        cases.add(new SwitchNode.Case(onData(wf, c.condition()), c.target()));
      }
      return new SwitchNode(s.id(), cases, s.defaultTarget(), o);
    }
    if (n instanceof MapNode m) {
      String items =
          wf
              + ". as $__E | $__E."
              + CTX
              + " as $__ctx | ($__E."
              + DATA
              + " | "
              + m.items().source()
              + ") | if type == \"array\" then map({"
              + CTX
              + ": $__ctx, "
              + DATA
              + ": .}) else . end";
      return new MapNode(
          m.id(),
          new Expr(items, m.items().location()),
          graph(m.iterator(), true),
          m.maxConcurrency(),
          o);
    }
    if (n instanceof LoopNode l) {
      return new LoopNode(
          l.id(), graph(l.body(), true), onData(wf, l.condition()), l.maxIterations(), o);
    }
    if (n instanceof SubWorkflowNode s) {
      return new SubWorkflowNode(s.id(), graph(s.workflow(), true), o);
    }
    if (n instanceof EventWaitNode e && e.correlate() != null) {
      return new EventWaitNode(
          e.id(),
          e.eventType(),
          e.correlation(),
          new EventWaitNode.Correlate(e.correlate().extension(), onData(wf, e.correlate().value())),
          o);
    }
    return n.withOptions(o);
  }

  /** An expression over a node's input (or a loop's round output) evaluated on the data. */
  private static Expr onData(String wf, Expr e) {
    if (e == null) {
      return null;
    }
    return new Expr(
        wf + ". as $__E | $__E." + CTX + " as $__ctx | $__E." + DATA + " | (" + e.source() + ")",
        e.location());
  }

  /**
   * A task (or a foreign sub-workflow) as a one-node sub-workflow of the same id: the wrapper's
   * input is the envelope plus the task's input {@code __i}; the inner node gets {@code __i} and
   * keeps the retry policy, timeout and hints; the wrapper keeps the catchers and the join and
   * re-wraps the result with the export.
   */
  private Node wrapped(Node n, String wf, String norm) {
    NodeOptions o = n.options();
    String in = o.input() == null ? "." : "(" + o.input().source() + ")";
    String input =
        wf
            + norm
            + " | . as $__E | $__E."
            + CTX
            + " as $__ctx | {"
            + CTX
            + ": $__ctx, "
            + DATA
            + ": $__E."
            + DATA
            + ", __i: ($__E."
            + DATA
            + " | "
            + in
            + ")}";
    NodeOptions innerOpts =
        NodeOptions.DEFAULT
            .withInput(new Expr(".__i", o.location()))
            .withRetry(o.retry())
            .withTimeout(o.timeout())
            .withHints(o.hints())
            .withLocation(o.location());
    Node inner = n.withOptions(innerOpts);
    Map<String, Node> one = new LinkedHashMap<>();
    one.put(n.id(), inner);
    WorkflowGraph g =
        new WorkflowGraph(n.id(), "1", one, List.of(), List.of(), Map.of(), null, o.location());
    String export = spec.exports.get(n);
    String mapping = o.output() == null ? "." : "(" + o.output().source() + ")";
    String output =
        wf
            + ". as $__result | ($input."
            + CTX
            + ") as $__ctx | ($input."
            + DATA
            + ") as $__data | ($input.__i) as $input | $__result | "
            + mapping
            + " | {"
            + CTX
            + ": "
            + (export == null ? "$__ctx" : "(" + export + ")")
            + ", "
            + DATA
            + ": .}";
    List<Catcher> catchers = o.catchers();
    NodeOptions outer =
        NodeOptions.DEFAULT
            .withInput(new Expr(input, o.location()))
            .withOutput(new Expr(output, o.location()))
            .withCatchers(catchers)
            .withJoin(o.join())
            .withHints(o.hints())
            .withLocation(o.location());
    return new SubWorkflowNode(n.id(), g, outer);
  }
}

package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Join;
import io.sluice.model.LoopNode;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tasks made of tasks. {@code do} is inlined (an entry node, its tasks, an {@code __out} node);
 * {@code fork} fans out to its branches and joins them ({@code compete}: the first result); {@code
 * for} is a loop node whose body runs once per item, threading the data as the DSL does; {@code
 * try} is a sub-workflow node whose catcher leads to a sub-workflow handler that filters the error
 * and runs {@code catch.do} or raises it again. See {@link SwScope} for the envelope inner graphs
 * get.
 */
final class SwComposites {
  /** At most this many rounds of a {@code for} (the engine's loops are bounded). */
  static final int MAX_FOR_ITEMS = 1_000_000;

  private final SwCompiler c;

  SwComposites(SwCompiler c) {
    this.c = c;
  }

  private void noTimeout(SwTask t) {
    if (t.def().has("timeout")) {
      c.problem(t, "a timeout on a do or fork task is not supported (put it on its tasks)");
    }
  }

  void doTask(SwFrame f, SwTask t, String id, String next, SwCompiler.Flow flow) {
    c.keys(t, Set.of("do"));
    noTimeout(t);
    String out = f.helper(id, "out");
    f.add(new PassNode(id, c.options(f, t)));
    f.add(new PassNode(out, NodeOptions.DEFAULT.withOutput(c.output(f, t, null))));
    String first = c.list(f, c.tasks(t.def().get("do"), t.pointer() + "/do"), out, flow.end());
    c.outputs.clear();
    c.outputs.add(out);
    f.edge(id, first);
    if (next != null) {
      f.edge(out, next);
    }
  }

  void fork(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("fork"));
    noTimeout(t);
    JsonNode spec = t.def().get("fork");
    boolean compete = spec.path("compete").asBoolean(false);
    List<SwTask> branches = c.tasks(spec.get("branches"), t.pointer() + "/fork/branches");
    String join = f.helper(id, "join");
    f.add(new PassNode(id, c.options(f, t)));
    for (SwTask b : branches) {
      f.edge(id, c.list(f, List.of(b), join, SwCompiler.NO_END));
    }
    List<String> from = new ArrayList<>();
    for (Edge e : f.edges) {
      if (e.to().equals(join)) {
        from.add(e.from());
      }
    }
    NodeOptions o = NodeOptions.DEFAULT.withOutput(c.output(f, t, null));
    if (compete) {
      o = o.withJoin(Join.ANY);
    } else {
      StringBuilder all = new StringBuilder("[");
      for (int i = 0; i < from.size(); i++) {
        all.append(i > 0 ? ", " : "").append(".[").append(SwExpr.quote(from.get(i))).append(']');
      }
      o = o.withInput(c.expr(from.size() == 1 ? "[.]" : all.append(']').toString(), t));
    }
    f.add(new PassNode(join, o));
    c.outputs.clear();
    c.outputs.add(join);
    if (next != null) {
      f.edge(join, next);
    }
  }

  void forTask(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("for", "while", "do"));
    JsonNode spec = t.def().get("for");
    if (spec == null || !spec.has("in")) {
      c.problem(t, "for needs in: an expression giving the items");
      return;
    }
    String each = spec.path("each").asText("item");
    String at = spec.path("at").asText("index");
    SwFrame body = new SwFrame(f.scope.child(List.of(each, at)));
    String guard = "__guard";
    String stop = "__stop";
    body.add(new PassNode(stop, NodeOptions.DEFAULT.withOutput(c.expr("{__swstop: .}", t))));
    String first =
        c.list(body, c.tasks(t.def().get("do"), t.pointer() + "/do"), null, SwCompiler.NO_END);
    if (first == null) {
      first = c.sink(body, "", "empty");
    }
    String cond = "($__e.i < ($__e.items | length))";
    JsonNode w = t.def().get("while");
    if (w != null) {
      cond += " and ($__e.v | " + SwExpr.wrap(body.scope, t, true, SwExpr.loose(w)) + ")";
    }
    body.add(
        new SwitchNode(
            guard,
            List.of(new SwitchNode.Case(c.expr(". as $__e | " + cond, t), first)),
            stop,
            NodeOptions.DEFAULT.withOutput(c.expr(".v", t)).withLocation(c.where(t))));
    body.branch(guard, first);
    body.branch(guard, stop);
    body.start = guard;
    String vars = "{" + SwExpr.quote(each) + ": $__e.items[$__n], " + SwExpr.quote(at) + ": $__n}";
    String wrapUp =
        "$workflow as $__e | ($__e.i + 1) as $__n"
            + " | (if type == \"object\" and has(\"__swstop\") then {v: .__swstop, done: true}"
            + " else {v: ., done: false} end) as $__r"
            + " | $__e + {i: $__n, v: $__r.v, done: $__r.done, vars: ($__e.vars + "
            + vars
            + ")}";
    WorkflowGraph g = body.build(id, "1", c.expr(wrapUp, t), c.where(t));
    String from = SwExpr.pipe(loose(t.def().path("input").get("from")), null);
    String in =
        "("
            + (from == null ? "." : from)
            + ") as $__t | ($__t | "
            + SwExpr.loose(spec.get("in"))
            + ") as $__items | 0 as $__n | {items: $__items} as $__e"
            + " | {wf: $__wfin, vars: ($__v + "
            + vars
            + "), items: $__items, i: 0, v: $__t, done: false}";
    NodeOptions o =
        c.options(f, t)
            .withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t))
            .withOutput(c.output(f, t, ".v", "$input.v"));
    f.add(
        new LoopNode(
            id, g, c.expr("(.done | not) and .i < (.items | length)", t), MAX_FOR_ITEMS, o));
    if (next != null) {
      f.edge(id, next);
    }
  }

  private static String loose(JsonNode v) {
    return v == null ? null : SwExpr.loose(v);
  }

  void tryTask(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("try", "catch"));
    SwFrame body = new SwFrame(f.scope.child(List.of()));
    body.add(new PassNode("__in", NodeOptions.DEFAULT.withOutput(c.expr(".v", t))));
    String first =
        c.list(body, c.tasks(t.def().get("try"), t.pointer() + "/try"), null, SwCompiler.NO_END);
    if (first != null) {
      body.edge("__in", first);
    }
    body.start = "__in";
    WorkflowGraph g = body.build(id, "1", null, c.where(t));
    String from = loose(t.def().path("input").get("from"));
    String in = "{wf: $__wfin, vars: $__v, v: (" + (from == null ? "." : from) + ")}";
    JsonNode cat = t.def().path("catch");
    String handler = f.helper(id, "catch");
    NodeOptions o =
        c.options(f, t)
            .withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t))
            .withOutput(c.output(f, t, null, "$input.v"))
            .withCatchers(List.of(new Catcher(List.of(), handler, c.where(t))));
    RetryPolicy retry = retry(t, cat.get("retry"));
    if (retry != null) {
      o = o.withRetry(retry);
    }
    f.add(new SubWorkflowNode(id, g, o));
    f.catchEdge(id, handler);
    handler(f, t, handler, body, cat);
    c.outputs.clear();
    c.outputs.add(id);
    c.outputs.add(handler);
    if (next != null) {
      f.edge(id, next);
      f.edge(handler, next);
    }
  }

  /** The catch handler: filters the error, runs {@code catch.do} or raises the error again. */
  private void handler(SwFrame f, SwTask t, String id, SwFrame tried, JsonNode cat) {
    cat.fieldNames()
        .forEachRemaining(
            k -> {
              if (!Set.of("errors", "as", "when", "exceptWhen", "retry", "do").contains(k)) {
                c.problem(t, "catch: '" + k + "' is not supported");
              }
            });
    String as = cat.path("as").asText("error");
    SwFrame h = new SwFrame(f.scope.child(List.of(as)));
    String err = "$workflow.vars[" + SwExpr.quote(as) + "]";
    List<String> conds = new ArrayList<>();
    JsonNode with = cat.path("errors").path("with");
    with.fieldNames()
        .forEachRemaining(
            k ->
                conds.add(
                    "("
                        + err
                        + "["
                        + SwExpr.quote(k)
                        + "] == "
                        + SwExpr.literal(with.get(k))
                        + ")"));
    if (cat.has("when")) {
      conds.add("(.v | " + SwExpr.wrap(h.scope, t, true, SwExpr.loose(cat.get("when"))) + ")");
    }
    if (cat.has("exceptWhen")) {
      conds.add(
          "((.v | "
              + SwExpr.wrap(h.scope, t, true, SwExpr.loose(cat.get("exceptWhen")))
              + ") | not)");
    }
    String first =
        cat.has("do")
            ? c.list(h, c.tasks(cat.get("do"), t.pointer() + "/catch/do"), null, SwCompiler.NO_END)
            : null;
    if (first == null) {
      first = c.sink(h, "", "caught");
    }
    NodeOptions unwrap = NodeOptions.DEFAULT.withOutput(c.expr(".v", t)).withLocation(c.where(t));
    if (conds.isEmpty()) {
      h.add(new PassNode("__in", unwrap));
      h.edge("__in", first);
    } else {
      String rethrow = "__rethrow";
      h.add(new PassNode(rethrow, NodeOptions.DEFAULT.withOutput(c.expr(SwErrors.raise(err), t))));
      h.add(
          new SwitchNode(
              "__in",
              List.of(new SwitchNode.Case(c.expr(String.join(" and ", conds), t), first)),
              rethrow,
              unwrap));
      h.branch("__in", first);
      h.branch("__in", rethrow);
    }
    h.start = "__in";
    StringBuilder pointers = new StringBuilder("{");
    tried.pointers.forEach(
        (node, ptr) ->
            pointers
                .append(pointers.length() > 1 ? ", " : "")
                .append(SwExpr.quote(node))
                .append(": ")
                .append(SwExpr.quote(ptr)));
    pointers.append('}');
    String error =
        "(. as $__p | "
            + SwErrors.fromCaught(t.pointer())
            + " | if .instance == "
            + SwExpr.quote(t.pointer())
            + " then .instance = ("
            + pointers
            + "[($__p.cause // \"\") | split(\": \")[0]] // .instance) else . end)";
    String in =
        error
            + " as $__err | {wf: $__wfin, vars: ($__v + {"
            + SwExpr.quote(as)
            + ": $__err}),"
            + " v: (.input.v)}";
    WorkflowGraph g = h.build(id, "1", null, c.where(t));
    f.add(
        new SubWorkflowNode(
            id,
            g,
            NodeOptions.DEFAULT
                .withLocation(c.where(t))
                .withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t))
                .withOutput(c.output(f, t, null, "$input.v"))));
  }

  /** A catch's {@code retry}: inline, or a name in {@code use.retries}. */
  private RetryPolicy retry(SwTask t, JsonNode r) {
    if (r == null) {
      return null;
    }
    if (r.isTextual()) {
      JsonNode named = c.use.path("retries").get(r.asText());
      if (named == null) {
        c.problem(t, "catch.retry '" + r.asText() + "' is not defined in use.retries");
        return null;
      }
      r = named;
    }
    for (String k : List.of("when", "exceptWhen", "jitter")) {
      if (r.has(k)) {
        c.problem(t, "catch.retry." + k + " is not supported");
      }
    }
    if (r.path("limit").has("duration") || r.path("limit").path("attempt").has("duration")) {
      c.problem(t, "catch.retry.limit durations are not supported");
    }
    JsonNode count = r.path("limit").path("attempt").get("count");
    if (count == null || !count.canConvertToInt() || count.asInt() < 0) {
      c.problem(t, "catch.retry needs limit.attempt.count (unbounded retries are not supported)");
      return null;
    }
    Duration delay = r.has("delay") ? c.duration(t, r.get("delay")) : Duration.ZERO;
    delay = delay == null ? Duration.ZERO : delay;
    JsonNode backoff = r.path("backoff");
    double multiplier = 1.0;
    if (backoff.has("exponential")) {
      multiplier = 2.0;
    } else if (backoff.has("linear")) {
      c.problem(t, "catch.retry.backoff.linear is not supported (constant or exponential)");
    }
    return new RetryPolicy(count.asInt() + 1, delay, multiplier, Duration.ZERO, 0.0, List.of());
  }
}

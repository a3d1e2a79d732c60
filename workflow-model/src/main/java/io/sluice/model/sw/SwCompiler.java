package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Expr;
import io.sluice.model.Location;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.SwitchNode;
import io.sluice.model.format.SourceDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles task lists into a {@link SwFrame}: every task becomes the node named after it (plus
 * helper nodes {@code TASK__…} where one node is not enough), and the flow ({@code then}: {@code
 * continue}, {@code exit}, {@code end}, a task name; the {@code if} guard) becomes edges. A target
 * of {@code null} is "nowhere": the node is a sink of its graph, whose output is then the graph's.
 * The kinds of task are built by {@link SwTasks} and {@link SwComposites}.
 */
final class SwCompiler {
  static final Set<String> COMMON =
      Set.of("if", "input", "output", "export", "timeout", "then", "metadata");

  final SourceDocument doc;
  final List<Problem> problems;
  final JsonNode use;
  final SwTasks tasks;
  final SwComposites composites;

  /** The context the workflow threads ({@code export}); see {@link SwScope#ctx()}. */
  final io.sluice.model.format.ContextThreading.Spec context =
      new io.sluice.model.format.ContextThreading.Spec("{}");

  /** Foreign sub-workflows ({@code run: workflow}): they get the plain data. */
  final List<io.sluice.model.Node> foreign = new ArrayList<>();

  /** The nodes whose output is the output of the task just built (set by the builders). */
  final List<String> outputs = new ArrayList<>();

  SwCompiler(SourceDocument doc, List<Problem> problems, JsonNode use) {
    this.doc = doc;
    this.problems = problems;
    this.use = use == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : use;
    this.tasks = new SwTasks(this);
    this.composites = new SwComposites(this);
  }

  void problem(SwTask t, String message) {
    problems.add(new Problem(where(t), "task " + t.name(), message));
  }

  void problem(JsonNode at, String message) {
    problems.add(new Problem(doc.locate(at), null, message));
  }

  Location where(SwTask t) {
    return doc.locate(t.entry(), t.name());
  }

  /** The tasks of a task list ({@code [{name: {…}}, …]}) at {@code pointer}. */
  List<SwTask> tasks(JsonNode list, String pointer) {
    List<SwTask> out = new ArrayList<>();
    if (list == null || !list.isArray()) {
      problem(list, "expected a task list (a list of {name: task}) at " + pointer);
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject() || item.size() != 1 || !item.elements().next().isObject()) {
        problem(item, "a task list entry must be one {name: task} object, at " + pointer + "/" + i);
        continue;
      }
      String name = item.fieldNames().next();
      out.add(new SwTask(name, item.get(name), pointer + "/" + i + "/" + name, item));
    }
    return out;
  }

  /**
   * Compiles {@code list} into {@code f}.
   *
   * @param exit where {@code exit} and the end of the list go (null: nowhere)
   * @param end where {@code then: end} goes (null: nowhere; {@link #NO_END}: not allowed here)
   * @return the first task's entry node, or {@code exit} for an empty list
   */
  String list(SwFrame f, List<SwTask> list, String exit, String end) {
    int n = list.size();
    String[] ids = new String[n];
    String[] entries = new String[n];
    Map<String, String> siblings = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ids[i] = f.idFor(list.get(i).name());
      f.pointers.put(ids[i], list.get(i).pointer());
      entries[i] = list.get(i).def().has("if") ? f.helper(ids[i], "if") : ids[i];
      siblings.putIfAbsent(list.get(i).name(), entries[i]);
    }
    for (int i = 0; i < n; i++) {
      SwTask t = list.get(i);
      String cont = i + 1 < n ? entries[i + 1] : exit;
      Flow flow = new Flow(cont, exit, end, siblings);
      if (t.def().has("if")) {
        String cond = SwExpr.wrap(f.scope, t, true, SwExpr.loose(t.def().get("if")));
        String skip = cont != null ? cont : sink(f, ids[i], "skip");
        f.add(
            new SwitchNode(
                entries[i],
                List.of(new SwitchNode.Case(expr(cond, t), ids[i])),
                skip,
                NodeOptions.DEFAULT.withLocation(where(t))));
        f.branch(entries[i], ids[i]);
        f.branch(entries[i], skip);
      }
      task(f, t, ids[i], flow);
    }
    return n == 0 ? exit : entries[0];
  }

  /** Marks {@code end} targets that cannot be reached from an inner graph. */
  static final String NO_END = "\u0000no-end";

  /** Where a task's flow directives lead. */
  record Flow(String cont, String exit, String end, Map<String, String> siblings) {
    String resolve(SwTask t, JsonNode then) {
      if (then == null || then.isNull()) {
        return cont;
      }
      String s = then.asText();
      return switch (s) {
        case "continue" -> cont;
        case "exit" -> exit;
        case "end" -> end;
        default -> siblings.get(s);
      };
    }
  }

  /** Checks a {@code then} value of task {@code t}; reports what cannot be followed. */
  String target(SwFrame f, SwTask t, JsonNode then, Flow flow, String id) {
    String to = flow.resolve(t, then);
    if (then != null && !then.isNull()) {
      String s = then.asText();
      if (NO_END.equals(to)) {
        problem(t, "then: end inside a for, try, catch or fork body is not supported");
        return null;
      }
      if (to == null && !Set.of("continue", "exit", "end").contains(s)) {
        if (!flow.siblings().containsKey(s)) {
          problem(t, "then: '" + s + "' names no task of the same list");
        }
      }
    }
    return to;
  }

  private void task(SwFrame f, SwTask t, String id, Flow flow) {
    String next = target(f, t, t.def().get("then"), flow, id);
    JsonNode d = t.def();
    String kind = null;
    for (String k :
        List.of(
            "set", "for", "switch", "fork", "try", "raise", "wait", "call", "emit", "listen", "run",
            "do")) {
      if (d.has(k)) {
        kind = k;
        break;
      }
    }
    if (kind == null) {
      problem(
          t,
          "no task kind: expected one of call, do, emit, for, fork, listen, raise, run, set,"
              + " switch, try, wait");
      return;
    }
    common(t);
    outputs.clear();
    switch (kind) {
      case "set" -> tasks.set(f, t, id, next);
      case "do" -> composites.doTask(f, t, id, next, flow);
      case "switch" -> tasks.switchTask(f, t, id, next, flow);
      case "for" -> composites.forTask(f, t, id, next);
      case "fork" -> composites.fork(f, t, id, next);
      case "try" -> composites.tryTask(f, t, id, next);
      case "raise" -> tasks.raise(f, t, id);
      case "wait" -> tasks.waitTask(f, t, id, next);
      case "call" -> tasks.call(f, t, id, next);
      case "emit" -> tasks.emit(f, t, id, next);
      case "listen" -> tasks.listen(f, t, id, next);
      default -> new SwRun(this).run(f, t, id, next);
    }
    boolean helperOutput = Set.of("do", "fork", "try", "listen").contains(kind);
    export(f, t, helperOutput && !outputs.isEmpty() ? List.copyOf(outputs) : List.of(id));
  }

  /**
   * A task's {@code export.as}: after the node(s) whose output is the task's (the task's own node,
   * or the {@code __out}/{@code __join} helper, and a try's catch handler), the context becomes the
   * expression's value over the transformed output ({@code $output} too).
   */
  private void export(SwFrame f, SwTask t, List<String> ids) {
    JsonNode as = t.def().path("export").get("as");
    if (as == null) {
      return;
    }
    String body = SwExpr.loose(as);
    if (body.contains("$output")) {
      body = ". as $output | " + body;
    }
    String jq = SwExpr.wrap(f.scope, t, (String) null, body);
    for (String n : ids) {
      io.sluice.model.Node node = f.nodes.get(n);
      if (node != null) {
        context.export(node, jq);
      }
    }
  }

  /** Reports common keys that are not supported. */
  private void common(SwTask t) {
    JsonNode d = t.def();
    if (d.path("export").has("schema")) {
      problem(t, "export.schema is not supported");
    }
    if (d.path("input").has("schema") || d.path("output").has("schema")) {
      problem(t, "a task's input/output schema is not supported");
    }
  }

  /** Checks that the task has only {@code allowed} keys besides the common ones. */
  void keys(SwTask t, Set<String> allowed) {
    Iterator<String> it = t.def().fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!COMMON.contains(k) && !allowed.contains(k)) {
        problem(t, "'" + k + "' is not supported (or not a key of this task)");
      }
    }
  }

  /** The options of task {@code t}: input mapping ({@code input.from}), timeout, location. */
  NodeOptions options(SwFrame f, SwTask t) {
    NodeOptions o = NodeOptions.DEFAULT.withLocation(where(t));
    JsonNode from = t.def().path("input").get("from");
    if (from != null) {
      o = o.withInput(expr(SwExpr.wrap(f.scope, t, true, SwExpr.loose(from)), t));
    }
    JsonNode timeout = t.def().get("timeout");
    if (timeout != null) {
      Duration d = duration(t, timeout.has("after") ? timeout.get("after") : timeout);
      if (d != null && !d.isZero()) {
        o = o.withTimeout(d);
      }
    }
    return o;
  }

  /** The output mapping of a task whose raw result is {@code raw} jq (null: the result). */
  Expr output(SwFrame f, SwTask t, String raw) {
    return output(f, t, raw, null);
  }

  /** As {@link #output(SwFrame, SwTask, String)}, with {@code $input} given by jq {@code input}. */
  Expr output(SwFrame f, SwTask t, String raw, String input) {
    JsonNode as = t.def().path("output").get("as");
    String body = SwExpr.pipe(raw, as == null ? null : SwExpr.loose(as));
    return body == null ? null : expr(SwExpr.wrap(f.scope, t, input, body), t);
  }

  Expr expr(String source, SwTask t) {
    return new Expr(source, t == null ? Location.UNKNOWN : where(t));
  }

  /** A DSL duration: ISO 8601, or {days, hours, minutes, seconds, milliseconds}. */
  Duration duration(SwTask t, JsonNode v) {
    if (v.isTextual()) {
      if (SwExpr.isExpr(v)) {
        problem(t, "a duration given by a runtime expression is not supported");
        return null;
      }
      try {
        String s = v.asText().strip();
        return Duration.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        problem(t, "bad ISO 8601 duration '" + v.asText() + "'");
        return null;
      }
    }
    if (v.isObject()) {
      Duration d = Duration.ZERO;
      d = d.plusDays(v.path("days").asLong()).plusHours(v.path("hours").asLong());
      d = d.plusMinutes(v.path("minutes").asLong()).plusSeconds(v.path("seconds").asLong());
      return d.plusMillis(v.path("milliseconds").asLong());
    }
    problem(t, "bad duration: expected ISO 8601 text or {days, hours, minutes, seconds, ms}");
    return null;
  }

  /** A pass node that is a sink (a switch branch or guard that leads nowhere). */
  String sink(SwFrame f, String base, String what) {
    String id = f.helper(base, what);
    f.add(new PassNode(id, NodeOptions.DEFAULT));
    return id;
  }
}

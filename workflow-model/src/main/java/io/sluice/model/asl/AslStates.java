package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles one state into nodes and edges of its machine (docs/importers.md has the table). */
final class AslStates {
  private static final Pattern LAMBDA_ARN =
      Pattern.compile("arn:aws[a-z-]*:lambda:[^:]+:[^:]*:function:([^:]+)(:[^:]+)?");

  /** The optimized Lambda service integration: Parameters.Payload in, {Payload, StatusCode} out. */
  private static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

  private boolean invoke;
  private final AslMachine m;
  private final String name;
  private final JsonNode s;
  private final AslContext ctx;
  private final AslFlow flow;
  private final boolean jsonata;

  AslStates(AslMachine m, String name, JsonNode s, AslContext ctx) {
    this.m = m;
    this.name = name;
    this.s = s;
    this.ctx = ctx;
    String ql = s.path("QueryLanguage").asText(null);
    this.jsonata = ql == null ? m.jsonata : ql.equals("JSONata");
    if (ql != null && !ql.equals("JSONata") && !ql.equals("JSONPath")) {
      throw new AslException("QueryLanguage must be JSONPath or JSONata, got " + ql);
    }
    if (m.jsonata && !jsonata) {
      throw new AslException("a JSONPath state in a JSONata state machine is not allowed (ASL)");
    }
    this.flow = jsonata ? new AslJsonataFlow(s, ctx) : new AslDataFlow(s, ctx);
  }

  void compile() {
    String type = s.path("Type").asText(null);
    if (type == null || !AslFields.ALLOWED.containsKey(type)) {
      throw new AslException(
          "Type must be one of "
              + new java.util.TreeSet<>(AslFields.ALLOWED.keySet())
              + ", got "
              + s.get("Type"));
    }
    checkFields(type);
    switch (type) {
      case "Task" -> task();
      case "Pass" -> pass();
      case "Choice" -> choice();
      case "Wait" -> waitState();
      case "Succeed" ->
          add(
              new PassNode(
                  name, opts(AslDataFlow.pipe(flow.inputPath(), flow.outputPath()), null)));
      case "Fail" -> {
        if (jsonata && (isExpr(s.get("Error")) || isExpr(s.get("Cause")))) {
          throw new AslException(
              "a Fail state's Error or Cause as a JSONata expression not supported: they are static in a Sluice graph");
        }
        add(
            new EndNode(
                name,
                true,
                s.path("Error").asText("States.Fail"),
                s.path("Cause").asText(null),
                opts(null, null)));
      }
      case "Parallel" -> parallel();
      default -> map();
    }
    if (!type.equals("Choice") && !type.equals("Succeed") && !type.equals("Fail")) {
      next();
    }
  }

  private void checkFields(String type) {
    for (var it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (AslFields.allowed(type, jsonata).contains(f)) {
        continue;
      }
      if (jsonata && AslFields.jsonPathOnly(f)) {
        m.problem(s, f, name, f + " is a JSONPath field, not allowed with QueryLanguage JSONata");
        continue;
      }
      String why = AslFields.UNSUPPORTED.get(f);
      m.problem(
          s,
          f,
          name,
          why != null
              ? f + " not supported: " + why
              : "unknown field '" + f + "' in a " + type + " state");
    }
  }

  private void next() {
    boolean end = s.path("End").asBoolean(false);
    JsonNode next = s.get("Next");
    if (end == (next != null)) {
      throw new AslException(
          "a " + s.path("Type").asText() + " state needs exactly one of Next and End: true");
    }
    if (next != null) {
      m.edges.add(Edge.next(name, next.asText()));
    }
  }

  private void add(Node n) {
    m.nodes.put(n.id(), n);
    if (assignAfterWait != null) {
      AslAssign.after(m, n, assignAfterWait);
      assignAfterWait = null;
    }
  }

  /** A Wait's Assign, registered on the node the Wait becomes. */
  private String assignAfterWait;

  private NodeOptions opts(String input, String output) {
    NodeOptions o = NodeOptions.DEFAULT.withLocation(m.doc.locate(s));
    if (input != null) {
      o = o.withInput(new Expr(input, m.doc.locate(s)));
    }
    if (output != null) {
      o = o.withOutput(new Expr(output, m.doc.locate(s)));
    }
    return o;
  }

  // ---- Pass, Choice, Wait --------------------------------------------------------------------

  private void pass() {
    String result;
    if (s.has("Result")) {
      result = JqStrings.literal(s.get("Result"));
    } else {
      result = flow.effectiveInput(true);
    }
    String in =
        AslDataFlow.pipe(
            ". as $raw | " + paren(result) + " | " + paren(flow.resultPath("$raw")),
            flow.outputPath());
    if (!s.has("Result")
        && !s.has("Parameters")
        && !flow.resultPathNeedsRaw()
        && !s.has("InputPath")) {
      in = AslDataFlow.pipe(flow.outputPath());
    }
    if (ctx.vars()) {
      // the pipeline runs as the output mapping, so the Assign reads the raw input ($__result)
      Node n = new PassNode(name, opts(null, in));
      add(n);
      AslAssign.after(
          m,
          n,
          AslAssign.jq(
              m, name, s, jsonata, "$__result | " + paren(result), "input: $__result", ctx));
      return;
    }
    add(new PassNode(name, opts(in, null)));
  }

  private static String paren(String jq) {
    return "(" + jq + ")";
  }

  private void choice() {
    JsonNode choices = s.get("Choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      throw new AslException("a Choice state needs a non-empty Choices list");
    }
    AslChoice rules = new AslChoice(ctx);
    Map<String, String> assigns = new LinkedHashMap<>();
    List<SwitchNode.Case> cases = new ArrayList<>();
    LinkedHashSet<String> targets = new LinkedHashSet<>();
    for (JsonNode c : choices) {
      String target = c.path("Next").asText(null);
      if (target == null) {
        m.problem(c, null, name, "a choice rule needs 'Next'");
        continue;
      }
      if (jsonata) {
        for (var it = c.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (!List.of("Condition", "Next", "Comment", "Assign").contains(f)) {
            m.problem(c, f, name, "choice rule field '" + f + "' not supported with JSONata");
          }
        }
      }
      try {
        String assign = AslAssign.jq(m, name, c, jsonata, ".", "input: .", ctx.forState(name));
        String cond =
            jsonata
                ? "("
                    + AslJsonataFlow.eval(jsonataField(c, "Condition"), "input: .", ctx)
                    + " == true)"
                : rules.condition(c);
        cases.add(new SwitchNode.Case(new Expr(cond, m.doc.locate(c)), target));
        assigns.putIfAbsent(cond, assign); // a repeated condition never matches again
        targets.add(target);
      } catch (AslException e) {
        m.problem(c, null, name, e.getMessage());
      }
    }
    String dflt = s.path("Default").asText(null);
    if (dflt != null) {
      targets.add(dflt);
    }
    for (String t : targets) {
      m.edges.add(new Edge(name, t, Edge.Kind.BRANCH));
    }
    Node n =
        new SwitchNode(
            name,
            cases,
            dflt,
            opts(AslDataFlow.pipe(flow.inputPath()), AslDataFlow.pipe(flow.outputPath())));
    add(n);
    AslAssign.afterChoice(m, n, assigns, AslAssign.jq(m, name, s, jsonata, ".", "input: .", ctx));
  }

  private void waitState() {
    List<String> given = new ArrayList<>();
    for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
      if (s.has(f)) {
        given.add(f);
      }
    }
    if (given.size() != 1) {
      throw new AslException(
          "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath, got "
              + given);
    }
    String field = given.get(0);
    JsonNode v = s.get(field);
    if (ctx.vars()) {
      // timed waits keep the input after InputPath as .raw of their loop's input
      String base = field.equals("Seconds") && !isExpr(v) ? "$__result" : "$input.raw";
      assignAfterWait = AslAssign.jq(m, name, s, jsonata, base, "input: " + base, ctx);
    }
    if (field.equals("Seconds") && !(jsonata && isExpr(v))) {
      if (!v.isIntegralNumber() || v.asLong() < 0) {
        throw new AslException("Seconds must be a whole number >= 0, got " + v);
      }
      add(
          new WaitNode(
              name,
              Duration.ofSeconds(v.asLong()),
              ctx.vars()
                  ? opts(AslDataFlow.pipe(flow.inputPath()), AslDataFlow.pipe(flow.outputPath()))
                  : opts(AslDataFlow.pipe(flow.inputPath(), flow.outputPath()), null)));
      return;
    }
    if (field.equals("Timestamp")
        && !(jsonata && isExpr(v))
        && AslJqFunctions.TimestampFn.nanos(v).isNull()) {
      throw new AslException("Timestamp must be an RFC 3339 timestamp, got " + v);
    }
    // the end is known when the wait starts: a loop towards a deadline in epoch seconds
    String value =
        jsonata && isExpr(v)
            ? AslJsonataFlow.eval(v, "input: .", ctx)
            : field.endsWith("Path")
                ? AslPath.parse(v.asText()).jq(".", ctx)
                : JqStrings.literal(v);
    String deadline =
        field.startsWith("Seconds")
            ? "("
                + value
                + ") as $s | if ($s | type) == \"number\" and $s >= 0 then now + $s else null end"
            : "(" + value + " | asl_ts) as $t | if $t == null then null else $t / 1e9 end";
    add(
        AslTimedWait.loop(
            name,
            jsonata && isExpr(v) ? "." : flow.inputPath(),
            deadline,
            flow.outputPath(),
            opts(null, null)));
  }

  // ---- Task ----------------------------------------------------------------------------------

  private String function() {
    JsonNode r = s.get("Resource");
    if (r == null || !r.isTextual() || r.asText().isBlank()) {
      throw new AslException("a Task state needs a Resource");
    }
    String res = r.asText();
    if (res.equals(LAMBDA_INVOKE)) {
      JsonNode args = s.get(jsonata ? "Arguments" : "Parameters");
      JsonNode fn = args == null ? null : args.get("FunctionName");
      if (fn == null || !fn.isTextual() || fn.asText().startsWith("{%")) {
        throw new AslException(
            "lambda:invoke needs a literal FunctionName in "
                + (jsonata ? "Arguments" : "Parameters")
                + " (a FunctionName computed at run time is not supported)");
      }
      invoke = true;
      res = fn.asText();
      if (!LAMBDA_ARN.matcher(res).matches()) {
        return res;
      }
    }
    Matcher lambda = LAMBDA_ARN.matcher(res);
    if (lambda.matches()) {
      String fn = lambda.group(1);
      ObjectNode settings = JsonNodeFactory.instance.objectNode().put("function", res);
      FunctionDef def = new FunctionDef(fn, "aws-lambda", settings, m.doc.locate(s, "Resource"));
      FunctionDef before = m.functions.putIfAbsent(fn, def);
      if (before != null && !before.equals(def)) {
        throw new AslException(
            "Lambda function '"
                + fn
                + "' is named by two different ARNs: "
                + before.settings().path("function").asText()
                + " and "
                + res);
      }
      return fn;
    }
    if (res.startsWith("arn:")) {
      throw new AslException(
          "Resource '"
              + res
              + "' not supported: a Resource is a Lambda function ARN or the name of a function of the registry");
    }
    return res;
  }

  private void task() {
    String fn = function();
    String payload =
        invoke ? "if type == \"object\" and has(\"Payload\") then .Payload else {} end" : null;
    String response = invoke ? "{Payload: ., StatusCode: 200}" : null;
    boolean mapped = invoke || !flow.effectiveInput(true).equals(".");
    boolean wrap = mapped && (flow.resultPathNeedsRaw() || AslCatchers.needRaw(s, flow));
    NodeOptions o;
    if (!wrap || ctx.vars()) {
      // with variables the threading wraps every task already and binds its raw input as $__data
      String raw = ctx.vars() ? "$__data" : "$input";
      o =
          opts(
              AslDataFlow.pipe(flow.effectiveInput(true), payload),
              AslDataFlow.pipe(
                  response, flow.resultSelector(), flow.resultPath(raw), flow.outputPath()));
      o = o.withRetry(AslErrors.retry(s.get("Retry"))).withTimeout(timeout());
      String cause =
          ctx.vars() ? "($e.cause | ltrimstr(" + JqStrings.literal(name + ": ") + "))" : "$e.cause";
      Node n = new TaskNode(name, fn, o.withCatchers(catchers("$e.input", cause)));
      add(n);
      String result = AslDataFlow.pipe("$__result", response);
      assignAfter(n, AslDataFlow.pipe(result, flow.resultSelector()), "$__data", result);
      return;
    }
    AslFlow inner =
        flow.withContext(new AslContext("$workflow.exec", ctx.machine(), name, null, ctx.vars()));
    NodeOptions io =
        opts(
                AslDataFlow.pipe(".raw", inner.effectiveInput(true), payload),
                AslDataFlow.pipe(
                    response,
                    inner.resultSelector(),
                    inner.resultPath("$workflow.raw"),
                    inner.outputPath()))
            .withRetry(AslErrors.retry(s.get("Retry")))
            .withTimeout(timeout());
    Map<String, Node> one = new LinkedHashMap<>();
    one.put(name, new TaskNode(name, fn, io));
    WorkflowGraph g =
        new WorkflowGraph(name, "1", one, List.of(), List.of(), Map.of(), null, m.doc.locate(s));
    // the inner task's failure reaches the wrapper as "NAME: cause"; the handler gets the cause
    String cause = "($e.cause | ltrimstr(" + JqStrings.literal(name + ": ") + "))";
    o =
        opts("{raw: ., exec: " + ctx.exec() + "}", null)
            .withCatchers(catchers("$e.input.raw", cause));
    add(new SubWorkflowNode(name, g, o));
  }

  private Duration timeout() {
    JsonNode t = s.get("TimeoutSeconds");
    if (t == null) {
      return null;
    }
    if (!t.isIntegralNumber() || t.asLong() <= 0) {
      throw new AslException("TimeoutSeconds must be a positive whole number, got " + t);
    }
    return Duration.ofSeconds(t.asLong());
  }

  private List<Catcher> catchers(String rawOfError, String cause) {
    return AslCatchers.build(m, name, s, flow, jsonata, rawOfError, cause);
  }

  // ---- Parallel and Map ----------------------------------------------------------------------

  private String resultOutput() {
    return AslDataFlow.pipe(
        flow.resultSelector(), flow.resultPath("$input.raw"), flow.outputPath());
  }

  private void parallel() {
    JsonNode branches = s.get("Branches");
    if (branches == null || !branches.isArray() || branches.isEmpty()) {
      throw new AslException("a Parallel state needs a non-empty Branches list");
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    nodes.put(
        "~fork",
        new PassNode("~fork", NodeOptions.DEFAULT.withInput(Expr.of("{raw: .eff, exec: .exec}"))));
    List<String> joined = new ArrayList<>();
    int i = 0;
    for (JsonNode b : branches) {
      String id = "~branch" + i++;
      WorkflowGraph g = m.inner(name + "/" + id).compile(b, name + id);
      nodes.put(id, new SubWorkflowNode(id, g, NodeOptions.DEFAULT.withLocation(m.doc.locate(b))));
      edges.add(Edge.next("~fork", id));
      edges.add(Edge.next(id, "~join"));
      joined.add(".[" + JqStrings.literal(id) + "]");
    }
    nodes.put(
        "~join",
        new PassNode(
            "~join",
            NodeOptions.DEFAULT.withInput(Expr.of("[" + String.join(", ", joined) + "]"))));
    WorkflowGraph g =
        new WorkflowGraph(
            name, "1", nodes, edges, List.of("~fork"), Map.of(), null, m.doc.locate(s));
    NodeOptions o =
        opts(
                "{raw: ., eff: " + paren(flow.effectiveInput(true)) + ", exec: " + ctx.exec() + "}",
                resultOutput())
            .withRetry(AslErrors.retry(s.get("Retry")));
    Node n = new SubWorkflowNode(name, g, o.withCatchers(catchers("$e.input.raw", "$e.cause")));
    add(n);
    if (m.context != null) {
      m.context.scoped(n); // the branches' assignments stay inside
    }
    assignAfterResult(n);
  }

  /** A Parallel's or Map's Assign: over the result after ResultSelector ($states.result). */
  private void assignAfterResult(Node n) {
    assignAfter(n, AslDataFlow.pipe("$__result", flow.resultSelector()), "$input.raw", "$__result");
  }

  /** A state's Assign over {@code selected} (JSONPath $), or JSONata's input and result. */
  private void assignAfter(Node n, String selected, String input, String result) {
    String fields = "input: " + input + ", result: " + paren(result);
    AslAssign.after(m, n, AslAssign.jq(m, name, s, jsonata, selected, fields, ctx));
  }

  private void map() {
    JsonNode proc = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
    if (proc == null || (s.has("ItemProcessor") && s.has("Iterator"))) {
      throw new AslException("a Map state needs exactly one of ItemProcessor and Iterator");
    }
    if (s.has("ItemSelector") && s.has("Parameters")) {
      throw new AslException("a Map state has ItemSelector or Parameters, not both");
    }
    int max = s.path("MaxConcurrency").asInt(0);
    if (max < 0) {
      throw new AslException("MaxConcurrency must be >= 0");
    }
    String items = ".";
    if (jsonata && s.has("Items")) {
      items = AslJsonataFlow.eval(s.get("Items"), "input: .", ctx);
    } else if (s.has("ItemsPath")) {
      items = AslPath.parse(s.get("ItemsPath").asText()).jq(".", ctx);
    }
    JsonNode selector = s.has("ItemSelector") ? s.get("ItemSelector") : s.get("Parameters");
    String item;
    if (selector == null) {
      item = "$arr[$i]";
    } else if (jsonata) {
      item =
          "({input: $m.eff, context: ("
              + ctx.jsonata()
              + " + {Map: {Item: {Index: $i, Value: $arr[$i]}}})"
              + (ctx.vars() ? ", __vars: $__ctx" : "")
              + "} | asl_jsonata("
              + JqStrings.literal(selector)
              + "))";
    } else {
      item = AslPayload.jq(selector, "$m.eff", ctx.withMapItem("{Index: $i, Value: $arr[$i]}"));
    }
    String itemsJq =
        ". as $m | ($m.eff | "
            + items
            + ") as $arr | if ($arr | type) != \"array\" then error(\"States.Runtime: ItemsPath"
            + " did not give an array\") else [range(0; $arr | length) as $i | {raw: "
            + paren(item)
            + ", exec: $m.exec}] end";
    WorkflowGraph iterator = m.inner(name).compile(proc, name + "~item");
    NodeOptions o =
        opts(
                "{raw: ., eff: " + paren(flow.inputPath()) + ", exec: " + ctx.exec() + "}",
                resultOutput())
            .withRetry(AslErrors.retry(s.get("Retry")));
    Node n =
        new MapNode(
            name,
            new Expr(itemsJq, m.doc.locate(s)),
            iterator,
            max,
            o.withCatchers(catchers("$e.input.raw", "$e.cause")));
    add(n);
    assignAfterResult(n);
  }

  private static boolean isExpr(JsonNode v) {
    return v != null && v.isTextual() && v.asText().trim().startsWith("{%");
  }

  private JsonNode jsonataField(JsonNode rule, String field) {
    JsonNode v = rule.get(field);
    if (v == null) {
      throw new AslException("a JSONata choice rule needs '" + field + "'");
    }
    return v;
  }
}

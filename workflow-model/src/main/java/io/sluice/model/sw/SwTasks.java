package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-node tasks: {@code set}, {@code switch}, {@code raise}, {@code wait}, {@code call},
 * {@code emit}, {@code listen}.
 */
final class SwTasks {
  private static final Pattern URI_VAR = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private final SwCompiler c;

  SwTasks(SwCompiler c) {
    this.c = c;
  }

  private static void link(SwFrame f, String id, String next) {
    if (next != null) {
      f.edge(id, next);
    }
  }

  void set(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("set"));
    NodeOptions o = c.options(f, t);
    f.add(new PassNode(id, o.withOutput(c.output(f, t, SwExpr.literal(t.def().get("set"))))));
    link(f, id, next);
  }

  void switchTask(SwFrame f, SwTask t, String id, String next, SwCompiler.Flow flow) {
    c.keys(t, Set.of("switch"));
    JsonNode cases = t.def().get("switch");
    List<SwitchNode.Case> out = new ArrayList<>();
    Set<String> targets = new LinkedHashSet<>();
    String dflt = null;
    if (cases == null || !cases.isArray() || cases.isEmpty()) {
      c.problem(t, "switch needs a non-empty list of cases");
      return;
    }
    for (JsonNode entry : cases) {
      if (!entry.isObject() || entry.size() != 1) {
        c.problem(t, "a switch case must be one {name: {when, then}} object");
        continue;
      }
      String name = entry.fieldNames().next();
      JsonNode body = entry.get(name);
      String to = c.target(f, t, body.get("then"), flow, id);
      if (to == null) {
        to = c.sink(f, id, name);
      }
      targets.add(to);
      JsonNode when = body.get("when");
      if (when == null) {
        dflt = to;
      } else {
        String cond = SwExpr.wrap(f.scope, t, true, SwExpr.loose(when));
        out.add(new SwitchNode.Case(c.expr(cond, t), to));
      }
    }
    if (dflt == null) {
      // no default case: the flow goes on as the switch's own then says
      dflt = next != null ? next : c.sink(f, id, "default");
      targets.add(dflt);
    }
    NodeOptions o = c.options(f, t).withOutput(c.output(f, t, null));
    f.add(new SwitchNode(id, out, dflt, o));
    for (String to : targets) {
      f.branch(id, to);
    }
  }

  void raise(SwFrame f, SwTask t, String id) {
    c.keys(t, Set.of("raise"));
    JsonNode err = t.def().path("raise").get("error");
    if (err != null && err.isTextual() && !SwExpr.isExpr(err)) {
      JsonNode named = c.use.path("errors").get(err.asText());
      if (named == null) {
        c.problem(t, "raise: error '" + err.asText() + "' is not defined in use.errors");
        return;
      }
      err = named;
    }
    if (err == null || !err.isObject()) {
      c.problem(t, "raise needs error: an object {type, status, title?, detail?} or a name");
      return;
    }
    ObjectNode obj = err.deepCopy();
    if (!obj.has("type") || !obj.has("status")) {
      c.problem(t, "a raised error needs 'type' and 'status'");
      return;
    }
    if (!obj.has("instance")) {
      obj.put("instance", t.pointer());
    }
    NodeOptions o = c.options(f, t);
    if (!SwExpr.dynamic(obj)) {
      f.add(new EndNode(id, true, obj.get("type").asText(), SwErrors.encode(obj), o));
    } else {
      String body = SwErrors.raise(SwExpr.literal(obj));
      f.add(new PassNode(id, o.withOutput(c.expr(SwExpr.wrap(f.scope, t, false, body), t))));
    }
  }

  void waitTask(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("wait"));
    Duration d = c.duration(t, t.def().get("wait"));
    f.add(
        new WaitNode(
            id,
            d == null || d.isNegative() ? Duration.ZERO : d,
            c.options(f, t).withOutput(c.output(f, t, null))));
    link(f, id, next);
  }

  void call(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("call", "with"));
    String fn = t.def().path("call").asText();
    JsonNode with = t.def().get("with");
    if (fn.equals("http")) {
      http(f, t, id, next, with, null);
      return;
    }
    if (Set.of("grpc", "openapi", "asyncapi", "a2a", "mcp").contains(fn)) {
      c.problem(t, "call: " + fn + " is not supported");
      return;
    }
    JsonNode def = c.use.path("functions").get(fn);
    if (def != null) {
      if (def.path("call").asText().equals("http")) {
        http(f, t, id, next, def.get("with"), with);
      } else {
        c.problem(t, "call: " + fn + ": only use.functions that call http are supported");
      }
      return;
    }
    // any other name: a function of Sluice's registry (or the workflow's), called with `with`
    String in = SwExpr.pipe(from(t), with == null ? null : SwExpr.literal(with));
    NodeOptions o = c.options(f, t);
    if (in != null) {
      o = o.withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t));
    }
    f.add(new TaskNode(id, fn, o.withOutput(c.output(f, t, null))));
    link(f, id, next);
  }

  private static String from(SwTask t) {
    JsonNode from = t.def().path("input").get("from");
    return from == null ? null : SwExpr.loose(from);
  }

  /**
   * A {@code call: http}: a function on the {@code http} runtime whose URL, method and headers are
   * jq over the call's input. Without a body the input is {@code {url, headers}} computed from the
   * task input per call; with one the input is the body, so the endpoint and headers must be
   * literal.
   *
   * @param args a use.functions call's arguments (its {@code with}), the function's input; or null
   */
  private void http(SwFrame f, SwTask t, String id, String next, JsonNode with, JsonNode args) {
    if (with == null || !with.isObject()) {
      c.problem(t, "call: http needs with: {method, endpoint}");
      return;
    }
    for (String k : List.of("redirect")) {
      if (with.has(k)) {
        c.problem(t, "call: http: '" + k + "' is not supported");
      }
    }
    String output = with.path("output").asText("content");
    if (!output.equals("content")) {
      c.problem(t, "call: http: output: " + output + " is not supported (only content)");
    }
    String method = with.path("method").asText("").toUpperCase(java.util.Locale.ROOT);
    if (!method.matches("[A-Z]+")) {
      c.problem(t, "call: http needs a method");
      return;
    }
    JsonNode endpoint = with.get("endpoint");
    JsonNode uri = endpoint != null && endpoint.isObject() ? endpoint.get("uri") : endpoint;
    if (endpoint != null && endpoint.has("authentication")) {
      c.problem(t, "call: http: endpoint authentication is not supported");
    }
    if (uri == null || !uri.isTextual()) {
      c.problem(t, "call: http needs an endpoint (a URI or {uri})");
      return;
    }
    String url = url(uri.asText(), with.get("query"));
    JsonNode headers = with.path("headers");
    boolean dynamic = !url.equals(SwExpr.quote(uri.asText())) || SwExpr.dynamic(headers);
    boolean withBody = !method.equals("GET") && !method.equals("HEAD");
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    settings.put("method", method);
    String input;
    String dollarInput = null;
    if (!withBody) {
      dollarInput = "$input.input";
      settings.put("url", "${ .url }");
      ObjectNode h = settings.putObject("headers");
      headers
          .fieldNames()
          .forEachRemaining(n -> h.put(n, "${ .headers[" + SwExpr.quote(n) + "] }"));
      input =
          "{url: "
              + url
              + ", headers: "
              + (headers.isObject() ? SwExpr.literal(headers) : "{}")
              + ", input: .}";
    } else {
      if (dynamic) {
        c.problem(
            t,
            "call: http "
                + method
                + " with a body: runtime expressions in the endpoint or headers"
                + " are not supported (the http runtime evaluates them over the body)");
        return;
      }
      settings.put("url", uri.asText());
      settings.set("headers", headers.isObject() ? headers : settings.objectNode());
      input = with.has("body") ? SwExpr.literal(with.get("body")) : ".";
    }
    String in =
        SwExpr.pipe(SwExpr.pipe(from(t), args == null ? null : SwExpr.literal(args)), input);
    String fn = "sw-http-" + id;
    f.functions.put(fn, new FunctionDef(fn, "http", settings, c.where(t)));
    NodeOptions o = c.options(f, t).withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t));
    f.add(new TaskNode(id, fn, o.withOutput(c.output(f, t, null, dollarInput))));
    link(f, id, next);
  }

  /**
   * jq of a URL: a {@code ${ }} expression, or a URI template whose {@code {x}} read {@code .x}.
   */
  private static String url(String uri, JsonNode query) {
    String base;
    if (SwExpr.isExpr(uri)) {
      base = "(" + SwExpr.strip(uri) + ")";
    } else {
      StringBuilder b = new StringBuilder();
      Matcher m = URI_VAR.matcher(uri);
      int last = 0;
      while (m.find()) {
        String lit = SwExpr.quote(uri.substring(last, m.start()));
        b.append(lit, 1, lit.length() - 1)
            .append("\\(.")
            .append(m.group(1))
            .append(" | tostring | @uri)");
        last = m.end();
      }
      String lit = SwExpr.quote(uri.substring(last));
      base = "\"" + b + lit.substring(1);
    }
    if (query == null || !query.isObject() || query.isEmpty()) {
      return base;
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : query.properties()) {
      parts.add(
          "("
              + SwExpr.quote(e.getKey() + "=")
              + " + ("
              + SwExpr.literal(e.getValue())
              + " | tostring | @uri))");
    }
    return base + " + \"?\" + ([" + String.join(", ", parts) + "] | join(\"&\"))";
  }

  void emit(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("emit"));
    JsonNode with = t.def().path("emit").path("event").get("with");
    if (with == null || !with.isObject() || !with.has("type") || !with.has("source")) {
      c.problem(t, "emit needs event.with with at least source and type");
      return;
    }
    String event =
        "{id: (\""
            + id
            + "-\" + (now | tostring)), specversion: \"1.0\", time: (now | todateiso8601)} + "
            + SwExpr.literal(with);
    // the engine's built-in "emit" runtime routes the event the call is given (its output is it)
    f.functions.put(EMIT, new FunctionDef(EMIT, "emit", null, c.where(t)));
    String in = SwExpr.pipe(from(t), event);
    NodeOptions o = c.options(f, t).withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t));
    f.add(new TaskNode(id, EMIT, o.withOutput(c.output(f, t, null))));
    link(f, id, next);
  }

  /** The function every {@code emit} task calls (runtime {@code emit}, built into the engine). */
  static final String EMIT = "sw-emit";

  /**
   * A {@code listen}: {@code one}, or {@code any} whose filters share one event type, is one event
   * wait (the filters OR'ed into its correlation); {@code any} over several types is a race of
   * waits ({@link #anyOfTypes}); {@code all} is a wait per filter between a fan-out and a join-all.
   * The output is, as the DSL says, the array of the events consumed (their data, {@code read:
   * data}); for {@code all} in filter order.
   */
  void listen(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("listen"));
    JsonNode listen = t.def().get("listen");
    JsonNode to = listen.path("to");
    if (listen.has("read") && !listen.get("read").asText().equals("data")) {
      c.problem(t, "listen: read " + listen.get("read") + " is not supported (only data)");
      return;
    }
    if (to.has("until")) {
      c.problem(t, "listen: until is not supported");
      return;
    }
    if (t.def().has("foreach")) {
      c.problem(t, "listen: foreach is not supported");
      return;
    }
    List<JsonNode> filters = new ArrayList<>();
    String strategy = to.has("one") ? "one" : to.has("any") ? "any" : to.has("all") ? "all" : null;
    if (strategy == null) {
      c.problem(t, "listen: to needs one, any or all");
      return;
    }
    if (strategy.equals("one")) {
      filters.add(to.get("one"));
    } else {
      to.get(strategy).forEach(filters::add);
      if (!to.get(strategy).isArray() || filters.isEmpty()) {
        c.problem(
            t,
            "listen: to."
                + strategy
                + " needs a non-empty list of filters (an empty any, every event, is not"
                + " supported)");
        return;
      }
    }
    List<String> types = new ArrayList<>();
    List<String> conds = new ArrayList<>();
    for (JsonNode filter : filters) {
      JsonNode with = filter.get("with");
      if (with == null || !with.path("type").isTextual()) {
        c.problem(t, "listen: every filter needs with.type, a literal string");
        return;
      }
      if (filter.has("correlate")) {
        c.problem(t, "listen: filter correlate is not supported (match attributes in with)");
        return;
      }
      String cond = condition(t, with);
      if (cond == null) {
        return;
      }
      types.add(with.get("type").asText());
      conds.add(cond);
    }
    if (!strategy.equals("all")) {
      if (types.stream().distinct().count() > 1) {
        anyOfTypes(f, t, id, next, types, conds);
        return;
      }
      boolean always = conds.contains("true");
      String corr =
          always
              ? null
              : conds.size() == 1 ? conds.get(0) : "(" + String.join(") or (", conds) + ")";
      NodeOptions o = c.options(f, t).withOutput(c.output(f, t, "[.]"));
      f.add(new EventWaitNode(id, types.get(0), corr == null ? null : c.expr(corr, t), o));
      link(f, id, next);
      return;
    }
    if (t.def().has("timeout")) {
      c.problem(t, "listen: a timeout on listen to.all is not supported");
      return;
    }
    String join = f.helper(id, "join");
    f.add(new PassNode(id, c.options(f, t)));
    List<String> waits = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      String w = f.helper(id, "event" + (i + 1));
      String corr = conds.get(i);
      f.add(
          new EventWaitNode(
              w,
              types.get(i),
              corr.equals("true") ? null : c.expr(corr, t),
              NodeOptions.DEFAULT.withLocation(c.where(t))));
      f.edge(id, w);
      f.edge(w, join);
      waits.add(".[" + SwExpr.quote(w) + "]");
    }
    NodeOptions o =
        NodeOptions.DEFAULT
            .withLocation(c.where(t))
            .withInput(c.expr("[" + String.join(", ", waits) + "]", t))
            .withOutput(c.output(f, t, null));
    f.add(new PassNode(join, o));
    c.outputs.clear();
    c.outputs.add(join);
    link(f, join, next);
  }

  /**
   * {@code any} over several event types: a sub-workflow {@code TASK} (so the whole race runs on
   * one worker, and a {@code timeout} is the sub-workflow's) fanning out from {@code __in} to a
   * wait per filter ({@code __event1}, …) joined by the first result ({@code __join}); the engine
   * withdraws the other waits once the join took an event. The output is {@code [DATA]}.
   */
  private void anyOfTypes(
      SwFrame f, SwTask t, String id, String next, List<String> types, List<String> conds) {
    SwFrame body = new SwFrame(f.scope.child(List.of()));
    body.add(new PassNode("__in", NodeOptions.DEFAULT.withLocation(c.where(t))));
    body.start = "__in";
    for (int i = 0; i < types.size(); i++) {
      String w = "__event" + (i + 1);
      String corr = conds.get(i);
      body.add(
          new EventWaitNode(
              w,
              types.get(i),
              corr.equals("true") ? null : c.expr(corr, t),
              NodeOptions.DEFAULT.withLocation(c.where(t))));
      body.edge("__in", w);
      body.edge(w, "__join");
    }
    body.add(
        new PassNode(
            "__join",
            NodeOptions.DEFAULT
                .withLocation(c.where(t))
                .withJoin(io.sluice.model.Join.ANY)
                .withOutput(c.expr("[.]", t))));
    WorkflowGraph g = body.build(id, "1", null, c.where(t));
    f.add(new SubWorkflowNode(id, g, c.options(f, t).withOutput(c.output(f, t, null))));
    link(f, id, next);
  }

  /**
   * jq over the event testing a filter's attributes other than type; "true" when none; null on
   * error.
   */
  private String condition(SwTask t, JsonNode with) {
    List<String> conds = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : with.properties()) {
      if (e.getKey().equals("type")) {
        continue;
      }
      if (SwExpr.dynamic(e.getValue())) {
        c.problem(t, "listen: runtime expressions in event filters are not supported");
        return null;
      }
      String k = e.getKey();
      String path =
          Set.of("id", "source", "subject", "time", "data").contains(k)
              ? "." + k
              : ".extensions[" + SwExpr.quote(k) + "]";
      conds.add(path + " == " + SwExpr.literal(e.getValue()));
    }
    return conds.isEmpty() ? "true" : String.join(" and ", conds);
  }
}

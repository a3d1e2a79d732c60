package io.sluice.model.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunction;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * {@code $states | asl_jsonata(template)}: a JSONata template of ASL's JSONata query language
 * evaluated with com.dashjoin:jsonata (a Java port of the JSONata reference). Every string of the
 * template written {@code {% expr %}} is replaced by the value of {@code expr}, with {@code
 * $states} bound to the input ({@code {input, result?, errorOutput?, context}}); other values stay.
 * Each evaluation is bounded (1 s, depth 200); failures are {@code States.QueryEvaluationError}.
 */
@BuiltinFunction(value = "asl_jsonata/1", version = "[1.5, )")
public final class AslJsonataFn implements Function {
  private static final ObjectMapper M = new ObjectMapper();

  @Override
  public void apply(
      Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
      throws JsonQueryException {
    List<JsonNode> tpl = new ArrayList<>(1);
    args.get(0).apply(scope, in, tpl::add);
    Object states = M.convertValue(in, Object.class);
    Map<?, ?> vars = Map.of();
    if (states instanceof Map<?, ?> m && m.get(VARS) instanceof Map<?, ?> given) {
      vars = given;
      Map<Object, Object> copy = new java.util.LinkedHashMap<>(m);
      copy.remove(VARS);
      states = copy;
    }
    output.emit(fill(tpl.get(0), states, vars), null);
  }

  /** The key of {@code $states} that holds the machine's variables (bound as {@code $name}). */
  static final String VARS = "__vars";

  private static JsonNode fill(JsonNode t, Object states, Map<?, ?> vars)
      throws JsonQueryException {
    if (t.isTextual()) {
      String s = t.asText().trim();
      if (s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4) {
        return eval(s.substring(2, s.length() - 2), states, vars);
      }
      return t;
    }
    if (t.isObject()) {
      ObjectNode o = M.createObjectNode();
      for (Map.Entry<String, JsonNode> e : t.properties()) {
        o.set(e.getKey(), fill(e.getValue(), states, vars));
      }
      return o;
    }
    if (t.isArray()) {
      ArrayNode a = M.createArrayNode();
      for (JsonNode e : t) {
        a.add(fill(e, states, vars));
      }
      return a;
    }
    return t;
  }

  private static JsonNode eval(String expr, Object states, Map<?, ?> vars)
      throws JsonQueryException {
    try {
      Jsonata j = Jsonata.jsonata(expr);
      Jsonata.Frame f = j.createFrame();
      for (Map.Entry<?, ?> v : vars.entrySet()) {
        f.bind(String.valueOf(v.getKey()), v.getValue());
      }
      f.bind("states", states);
      f.setRuntimeBounds(1000, 200);
      Object r = j.evaluate(states instanceof Map<?, ?> m ? m.get("input") : null, f);
      return integral(M.valueToTree(r));
    } catch (RuntimeException e) {
      throw new JsonQueryException(
          "States.QueryEvaluationError: JSONata '" + expr.trim() + "' failed: " + e.getMessage());
    }
  }

  /** JSONata numbers are doubles; a whole one is written as an integer, as JSON readers expect. */
  private static JsonNode integral(JsonNode n) {
    if (n == null) {
      return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    if (n.isFloatingPointNumber()) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return M.getNodeFactory().numberNode((long) d);
      }
      return n;
    }
    if (n.isObject()) {
      ObjectNode o = M.createObjectNode();
      n.properties().forEach(e -> o.set(e.getKey(), integral(e.getValue())));
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = M.createArrayNode();
      n.forEach(e -> a.add(integral(e)));
      return a;
    }
    return n;
  }
}

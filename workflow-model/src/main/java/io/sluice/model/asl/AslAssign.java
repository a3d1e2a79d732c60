package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Node;
import java.util.Map;

/**
 * {@code Assign}: after a state (or a choice rule, or a catcher) completes, its variables take the
 * values of the Assign's fields. All fields are evaluated with the variables as they were
 * <em>before</em> the Assign (ASL: an Assign never sees its own assignments), so the new variables
 * are {@code $__ctx + {…}} evaluated over the old {@code $__ctx}. The variables travel with the
 * flow of control inside the data ({@link io.sluice.model.format.ContextThreading}).
 */
final class AslAssign {
  private AslAssign() {}

  /**
   * jq of the variables after {@code holder}'s Assign, or null when it has none.
   *
   * @param base JSONPath: jq of the value {@code $} reads
   * @param fields JSONata: the {@code $states} fields ({@code input: …, result: …})
   */
  static String jq(
      AslMachine m,
      String state,
      JsonNode holder,
      boolean jsonata,
      String base,
      String fields,
      AslContext ctx) {
    JsonNode a = holder.get("Assign");
    if (a == null) {
      return null;
    }
    if (!a.isObject()) {
      throw new AslException("Assign must be an object of variable names to values");
    }
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String name = e.getKey();
      if (!jsonata && name.endsWith(".$")) {
        name = name.substring(0, name.length() - 2);
      }
      if (name.startsWith("$")
          || !AslPath.VARIABLE.matcher(name).matches()
          || name.equals("states")) {
        m.problem(
            holder,
            "Assign",
            state,
            "bad variable name '"
                + e.getKey()
                + "': letters, digits and '_', not starting with a digit or '$', at most 80,"
                + " and not the reserved 'states'");
      }
    }
    if (jsonata) {
      return "$__ctx + " + AslJsonataFlow.eval(a, fields, ctx);
    }
    return "(" + base + ") as $__a | $__ctx + " + AslPayload.jq(a, "$__a", ctx);
  }

  /**
   * A Choice's Assign: the rule that matched assigns (the first whose condition is true, as the
   * switch picks it; a rule without Assign leaves the variables), the state's own Assign when the
   * Default is taken.
   *
   * @param rules each rule's condition (jq over the input after InputPath) and Assign jq or null
   */
  static void afterChoice(AslMachine m, Node n, Map<String, String> rules, String dflt) {
    if (rules.values().stream().allMatch(java.util.Objects::isNull) && dflt == null) {
      return;
    }
    StringBuilder b = new StringBuilder("$__result | if false then $__ctx");
    rules.forEach(
        (cond, assign) ->
            b.append(" elif ")
                .append(cond)
                .append(" then ")
                .append(assign == null ? "$__ctx" : "(" + assign + ")"));
    after(m, n, b.append(" else ").append(dflt == null ? "$__ctx" : "(" + dflt + ")") + " end");
  }

  /** After {@code node}, the variables become {@code jq} (null: unchanged). */
  static void after(AslMachine m, Node node, String jq) {
    if (jq != null && m.context != null) {
      m.context.export(node, jq);
    }
  }
}

package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a Choice rule into a jq condition over the Choice state's effective input. A
 * comparison whose variable has another type than the operator's is false (as in Step Functions); a
 * variable path that matches nothing fails the state with {@code States.Runtime}, except under
 * {@code IsPresent}.
 */
final class AslChoice {
  /** Operator suffix -> jq comparison of {@code $v} with {@code $w}. */
  private static final Map<String, String> COMPARE =
      Map.of(
          "Equals", "$v == $w",
          "LessThan", "$v < $w",
          "GreaterThan", "$v > $w",
          "LessThanEquals", "$v <= $w",
          "GreaterThanEquals", "$v >= $w");

  private static final Map<String, String> TYPE_CHECK =
      Map.of(
          "String", "($x | type == \"string\")",
          "Numeric", "($x | type == \"number\")",
          "Boolean", "($x | type == \"boolean\")",
          "Timestamp", "(($x | asl_ts) != null)");

  private static final List<String> TESTS =
      List.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

  private final AslContext ctx;

  AslChoice(AslContext ctx) {
    this.ctx = ctx;
  }

  /** jq for a rule (a top-level choice or a nested one), over the input {@code .}. */
  String condition(JsonNode rule) {
    if (!rule.isObject()) {
      throw new AslException("a choice rule must be an object");
    }
    if (rule.has("And") || rule.has("Or")) {
      String op = rule.has("And") ? "And" : "Or";
      JsonNode list = rule.get(op);
      if (!list.isArray() || list.isEmpty()) {
        throw new AslException(op + " needs a non-empty list of rules");
      }
      List<String> parts = new ArrayList<>();
      for (JsonNode r : list) {
        parts.add(condition(r));
      }
      return "(" + String.join(op.equals("And") ? " and " : " or ", parts) + ")";
    }
    if (rule.has("Not")) {
      return "(" + condition(rule.get("Not")) + " | not)";
    }
    if (rule.has("Condition")) {
      throw new AslException("'Condition' (JSONata) not supported");
    }
    JsonNode variable = rule.get("Variable");
    if (variable == null || !variable.isTextual()) {
      throw new AslException("a choice rule needs 'Variable' (or And, Or, Not)");
    }
    AslPath var = AslPath.parse(variable.asText());
    String op = null;
    for (var it = rule.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("Variable", "Next", "Comment", "Assign").contains(f)) {
        if (op != null) {
          throw new AslException("a choice rule has two operators: " + op + " and " + f);
        }
        op = f;
      }
    }
    if (op == null) {
      throw new AslException("a choice rule needs a comparison operator");
    }
    return compare(var, op, rule.get(op));
  }

  private String compare(AslPath var, String op, JsonNode value) {
    if (op.equals("IsPresent")) {
      return "(" + var.presentJq(".", ctx) + " == " + bool(op, value) + ")";
    }
    String v = "(" + var.jq(".", ctx) + ") as $v | ";
    if (TESTS.contains(op)) {
      String test =
          switch (op) {
            case "IsNull" -> "$v == null";
            case "IsNumeric" -> "($v | type == \"number\")";
            case "IsString" -> "($v | type == \"string\")";
            case "IsBoolean" -> "($v | type == \"boolean\")";
            default -> "(($v | asl_ts) != null)";
          };
      return "(" + v + "((" + test + ") == " + bool(op, value) + "))";
    }
    if (op.equals("StringMatches")) {
      if (!value.isTextual()) {
        throw new AslException("StringMatches needs a string pattern");
      }
      return "("
          + v
          + "($v | type == \"string\") and ($v | test("
          + JqStrings.literal(wildcardRegex(value.asText()))
          + ")))";
    }
    boolean path = op.endsWith("Path");
    String bare = path ? op.substring(0, op.length() - 4) : op;
    String type = null;
    String cmp = null;
    for (String t : TYPE_CHECK.keySet()) {
      if (bare.startsWith(t) && COMPARE.containsKey(bare.substring(t.length()))) {
        type = t;
        cmp = COMPARE.get(bare.substring(t.length()));
      }
    }
    if (type == null || (type.equals("Boolean") && !bare.equals("BooleanEquals"))) {
      throw new AslException("choice operator '" + op + "' not supported");
    }
    String w;
    if (path) {
      if (!value.isTextual()) {
        throw new AslException(op + " needs a path");
      }
      w = "(" + AslPath.parse(value.asText()).jq(".", ctx) + ")";
    } else {
      checkLiteral(op, type, value);
      w = JqStrings.literal(value);
    }
    String checkV = TYPE_CHECK.get(type).replace("$x", "$v");
    String checkW = TYPE_CHECK.get(type).replace("$x", "$w");
    if (type.equals("Timestamp")) {
      cmp = cmp.replace("$v", "($v | asl_ts)").replace("$w", "($w | asl_ts)");
    }
    return "(" + v + w + " as $w | " + checkV + " and " + checkW + " and " + cmp + ")";
  }

  private static void checkLiteral(String op, String type, JsonNode value) {
    boolean ok =
        switch (type) {
          case "String" -> value.isTextual();
          case "Numeric" -> value.isNumber();
          case "Boolean" -> value.isBoolean();
          default -> value.isTextual() && !AslJqFunctions.TimestampFn.nanos(value).isNull();
        };
    if (!ok) {
      throw new AslException(
          op + " needs a " + type.toLowerCase(java.util.Locale.ROOT) + " value, got " + value);
    }
  }

  private static String bool(String op, JsonNode value) {
    if (!value.isBoolean()) {
      throw new AslException(op + " needs true or false, got " + value);
    }
    return value.toString();
  }

  /** StringMatches' pattern: {@code *} is any run of characters, {@code \*} a star. */
  static String wildcardRegex(String pattern) {
    StringBuilder re = new StringBuilder("^");
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        re.append(quote(pattern.charAt(++i)));
      } else if (c == '*') {
        re.append(".*");
      } else {
        re.append(quote(c));
      }
    }
    return re.append("$").toString();
  }

  private static String quote(char c) {
    return Character.isLetterOrDigit(c) || c == ' ' || c > 127 ? String.valueOf(c) : "\\" + c;
  }
}

package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workflow's {@code input.schema} (JSON Schema) as a jq check run on the input at start: a
 * subset ({@code type}, {@code required}, {@code properties}, {@code items}, {@code enum}; {@code
 * title}, {@code description}, {@code $schema}, {@code additionalProperties: true} and {@code
 * default} are accepted and have no effect). Any other keyword is reported as not supported. An
 * input that does not conform fails the instance with the DSL's {@code validation} error (400).
 */
final class SwSchema {
  private static final Set<String> IGNORED =
      Set.of("title", "description", "$schema", "default", "examples", "$id");

  private final List<String> unsupported = new ArrayList<>();

  /** Keywords of the schema that this subset does not check. */
  List<String> unsupported() {
    return unsupported;
  }

  /** jq that yields its input when it conforms to {@code schema} and fails otherwise. */
  String check(JsonNode schema) {
    String problems = problems(schema, "");
    return "("
        + problems
        + ") as $__bad | if ($__bad | length) == 0 then . else "
        + SwErrors.raise(
            "{type: \""
                + SwErrors.TYPES
                + "validation\", status: 400, title: \"Invalid workflow input\","
                + " detail: ($__bad | join(\"; \")), instance: \"/input\"}")
        + " end";
  }

  private String problems(JsonNode s, String path) {
    List<String> parts = new ArrayList<>();
    String where = SwExpr.quote(path.isEmpty() ? "input" : "input" + path);
    for (Map.Entry<String, JsonNode> e : s.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      switch (k) {
        case "type" -> {
          List<String> alts = new ArrayList<>();
          for (JsonNode ty : v.isArray() ? v : List.of(v)) {
            alts.add(type(ty.asText()));
          }
          parts.add(
              "(if "
                  + String.join(" or ", alts)
                  + " then [] else ["
                  + where
                  + " + \": expected "
                  + v.toString().replace("\"", "")
                  + "\"] end)");
        }
        case "required" ->
            parts.add(
                "(if type == \"object\" then ["
                    + v
                    + "[] as $__k | select(has($__k) | not) | "
                    + where
                    + " + \": missing required property \" + $__k] else [] end)");
        case "properties" -> {
          for (Map.Entry<String, JsonNode> p : v.properties()) {
            String q = SwExpr.quote(p.getKey());
            parts.add(
                "(if type == \"object\" and has("
                    + q
                    + ") then (.["
                    + q
                    + "] | "
                    + problems(p.getValue(), path + "." + p.getKey())
                    + ") else [] end)");
          }
        }
        case "items" ->
            parts.add(
                "(if type == \"array\" then ([.[] | "
                    + problems(v, path + "[]")
                    + "] | add // []) else [] end)");
        case "enum" ->
            parts.add(
                "(. as $__x | if ("
                    + v
                    + " | map(. == $__x) | any) then [] else ["
                    + where
                    + " + \": not one of the allowed values\"] end)");
        case "additionalProperties" -> {
          if (!v.isBoolean() || !v.asBoolean()) {
            unsupported.add(k);
          }
        }
        default -> {
          if (!IGNORED.contains(k)) {
            unsupported.add(k);
          }
        }
      }
    }
    return parts.isEmpty() ? "[]" : "(" + String.join(" + ", parts) + ")";
  }

  private String type(String t) {
    return switch (t) {
      case "integer" -> "(type == \"number\" and . == floor)";
      case "object", "array", "string", "number", "boolean", "null" -> "(type == \"" + t + "\")";
      default -> {
        unsupported.add("type " + t);
        yield "true";
      }
    };
  }
}

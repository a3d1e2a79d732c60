package io.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a document against a JSON Schema, for the keywords the Sluice format schema uses ($ref to
 * $defs, type, properties, required, additionalProperties, items, oneOf, enum, const, pattern,
 * minimum, maximum, minItems, minLength). Enough to test the schema against the examples without a
 * schema library; unknown keywords fail loudly so the schema cannot outgrow it.
 */
public final class MiniSchemaValidator {
  private static final List<String> KNOWN =
      List.of(
          "$schema",
          "$id",
          "$defs",
          "$ref",
          "title",
          "description",
          "type",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "oneOf",
          "enum",
          "const",
          "pattern",
          "minimum",
          "maximum",
          "minItems",
          "minLength");

  private final JsonNode root;

  public MiniSchemaValidator(JsonNode root) {
    this.root = root;
  }

  /** Every violation, as {@code path: what}. */
  public List<String> validate(JsonNode doc) {
    List<String> out = new ArrayList<>();
    check(root, doc, "$", out);
    return out;
  }

  private void check(JsonNode s, JsonNode v, String path, List<String> out) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k)) {
        throw new IllegalArgumentException("schema keyword not supported here: " + k);
      }
    }
    if (s.has("$ref")) {
      String ref = s.get("$ref").asText();
      check(root.at(ref.substring(1)), v, path, out);
    }
    if (s.has("type") && !typeMatches(s.get("type"), v)) {
      out.add(path + ": expected " + s.get("type") + ", got " + v.getNodeType());
      return;
    }
    if (s.has("const") && !s.get("const").equals(v)) {
      out.add(path + ": expected " + s.get("const"));
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v);
      }
      if (!found) {
        out.add(path + ": not one of " + s.get("enum"));
      }
    }
    if (s.has("pattern")
        && v.isTextual()
        && !Pattern.compile(s.get("pattern").asText()).matcher(v.asText()).find()) {
      out.add(path + ": '" + v.asText() + "' does not match " + s.get("pattern").asText());
    }
    if (s.has("minLength") && v.isTextual() && v.asText().length() < s.get("minLength").asInt()) {
      out.add(path + ": too short");
    }
    if (s.has("minimum") && v.isNumber() && v.asDouble() < s.get("minimum").asDouble()) {
      out.add(path + ": below minimum " + s.get("minimum"));
    }
    if (s.has("maximum") && v.isNumber() && v.asDouble() > s.get("maximum").asDouble()) {
      out.add(path + ": above maximum " + s.get("maximum"));
    }
    if (v.isArray()) {
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
        out.add(path + ": fewer than " + s.get("minItems") + " items");
      }
      if (s.has("items")) {
        for (int i = 0; i < v.size(); i++) {
          check(s.get("items"), v.get(i), path + "[" + i + "]", out);
        }
      }
    }
    if (v.isObject()) {
      object(s, v, path, out);
    }
    if (s.has("oneOf")) {
      int matches = 0;
      List<String> why = new ArrayList<>();
      for (JsonNode alt : s.get("oneOf")) {
        List<String> sub = new ArrayList<>();
        check(alt, v, path, sub);
        if (sub.isEmpty()) {
          matches++;
        } else {
          why.addAll(sub);
        }
      }
      if (matches != 1) {
        out.add(path + ": matches " + matches + " of oneOf (exactly 1 needed) " + why);
      }
    }
  }

  private void object(JsonNode s, JsonNode v, String path, List<String> out) {
    if (s.has("required")) {
      for (JsonNode r : s.get("required")) {
        if (!v.has(r.asText())) {
          out.add(path + ": missing " + r.asText());
        }
      }
    }
    JsonNode props = s.get("properties");
    JsonNode additional = s.get("additionalProperties");
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String p = path + "." + e.getKey();
      if (props != null && props.has(e.getKey())) {
        check(props.get(e.getKey()), e.getValue(), p, out);
      } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        out.add(p + ": not allowed");
      } else if (additional != null && additional.isObject()) {
        check(additional, e.getValue(), p, out);
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode v) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, v)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> throw new IllegalArgumentException("unknown type " + type);
    };
  }
}

package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Expr;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to the fields of one definition document that records a {@link Problem} (with the
 * field's line) instead of stopping at the first wrong value, so every problem is reported.
 */
final class FieldReader {
  private final SourceDocument doc;
  private final List<Problem> problems;

  FieldReader(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  SourceDocument doc() {
    return doc;
  }

  List<Problem> problems() {
    return problems;
  }

  Location at(JsonNode obj, String field) {
    return field == null ? doc.locate(obj) : doc.locate(obj, field);
  }

  void problem(JsonNode obj, String field, String nodeId, String message) {
    problems.add(new Problem(at(obj, field), nodeId, message));
  }

  /** Reports every key of {@code obj} that is not in {@code allowed}. */
  void checkKeys(JsonNode obj, Set<String> allowed, String what, String nodeId) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problem(
            obj,
            key,
            nodeId,
            "unknown key '"
                + key
                + "' in "
                + what
                + "; allowed: "
                + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  boolean isObject(JsonNode v, JsonNode parent, String field, String nodeId, String what) {
    if (v != null && v.isObject()) {
      return true;
    }
    problem(parent, field, nodeId, "'" + field + "' must be " + what);
    return false;
  }

  String text(JsonNode obj, String key, String nodeId, boolean required) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problem(obj, null, nodeId, "missing required key '" + key + "'");
      }
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      problem(obj, key, nodeId, "'" + key + "' must be a string, got " + v.getNodeType());
      return null;
    }
    return v.asText();
  }

  Expr expr(JsonNode obj, String key, String nodeId, boolean required) {
    String s = text(obj, key, nodeId, required);
    return s == null ? null : new Expr(s, at(obj, key));
  }

  Long integer(JsonNode obj, String key, String nodeId, long min) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < min) {
      problem(obj, key, nodeId, "'" + key + "' must be a whole number >= " + min + ", got " + v);
      return null;
    }
    return v.asLong();
  }

  Double number(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      problem(obj, key, nodeId, "'" + key + "' must be a number, got " + v);
      return null;
    }
    return v.asDouble();
  }

  Boolean bool(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      problem(obj, key, nodeId, "'" + key + "' must be true or false, got " + v);
      return null;
    }
    return v.asBoolean();
  }

  Duration duration(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      problem(obj, key, nodeId, "'" + key + "' must be a duration like 250ms, 2s or PT2S");
      return null;
    }
    try {
      return Durations.parse(v.asText());
    } catch (IllegalArgumentException e) {
      problem(obj, key, nodeId, "'" + key + "': " + e.getMessage());
      return null;
    }
  }

  Long bytes(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return integer(obj, key, nodeId, 0);
    }
    try {
      return ByteSizes.parse(v.asText());
    } catch (IllegalArgumentException e) {
      problem(obj, key, nodeId, "'" + key + "': " + e.getMessage());
      return null;
    }
  }

  /** A string or a list of strings. */
  List<String> strings(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (v.isArray()) {
      for (JsonNode item : v) {
        if (item.isTextual()) {
          out.add(item.asText());
        } else {
          problem(obj, key, nodeId, "'" + key + "' must list strings, got " + item);
        }
      }
      return out;
    }
    problem(obj, key, nodeId, "'" + key + "' must be a string or a list of strings");
    return out;
  }
}

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
 * Typed access to the fields of one document (a workflow definition or a cluster configuration)
 * that records a {@link Problem} (with the field's line) instead of stopping at the first wrong
 * value, so every problem is reported. One behaviour for every reader: a present but blank string
 * is a problem, values are trimmed, sizes follow {@link ByteSizes} and durations {@link Durations}
 * (never negative), and each message names the key as written in the file.
 *
 * <p>Reads return null when the key is absent or its value is wrong (the problem is then recorded);
 * the overloads taking {@code orElse} return it only when the key is absent.
 */
public final class FieldReader {
  private final SourceDocument doc;
  private final List<Problem> problems;

  public FieldReader(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  public SourceDocument doc() {
    return doc;
  }

  public List<Problem> problems() {
    return problems;
  }

  /** Whether {@code obj} has no value (or null) under {@code key}. */
  public static boolean absent(JsonNode obj, String key) {
    JsonNode v = obj.get(key);
    return v == null || v.isNull();
  }

  public Location at(JsonNode obj, String field) {
    return field == null ? doc.locate(obj) : doc.locate(obj, field);
  }

  public void problem(Location where, String nodeId, String message) {
    problems.add(new Problem(where, nodeId, message));
  }

  public void problem(JsonNode obj, String field, String nodeId, String message) {
    problem(at(obj, field), nodeId, message);
  }

  /**
   * Reports every key of {@code obj} that is not in {@code allowed}, naming {@code what} (e.g. "a
   * task node"; null to leave it out) and the allowed keys.
   */
  public void checkKeys(JsonNode obj, Set<String> allowed, String what, String nodeId) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problem(
            obj,
            key,
            nodeId,
            "unknown key '"
                + key
                + "'"
                + (what == null ? "" : " in " + what)
                + "; allowed: "
                + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  public boolean isObject(JsonNode v, JsonNode parent, String field, String nodeId, String what) {
    if (v != null && v.isObject()) {
      return true;
    }
    problem(parent, field, nodeId, "'" + field + "' must be " + what);
    return false;
  }

  /**
   * The mapping under {@code key}, or null: absent (a problem when {@code required}) or not a
   * mapping (a problem).
   */
  public JsonNode object(JsonNode parent, String key, String nodeId, boolean required) {
    if (absent(parent, key)) {
      if (required) {
        problem(parent, null, nodeId, "missing required section '" + key + "'");
      }
      return null;
    }
    JsonNode v = parent.get(key);
    return isObject(v, parent, key, nodeId, "a mapping of keys to values") ? v : null;
  }

  /** A scalar as text, trimmed; a blank one is a problem. */
  public String text(JsonNode obj, String key, String nodeId, boolean required) {
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
    if (v.asText().isBlank()) {
      problem(obj, key, nodeId, "'" + key + "' must not be blank");
      return null;
    }
    return v.asText().trim();
  }

  public Expr expr(JsonNode obj, String key, String nodeId, boolean required) {
    String s = text(obj, key, nodeId, required);
    return s == null ? null : new Expr(s, at(obj, key));
  }

  public Long integer(JsonNode obj, String key, String nodeId, long min) {
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

  /**
   * A count (attempts, iterations, concurrency): a whole number from {@code min} to {@link
   * Integer#MAX_VALUE}, or null when absent or wrong (a problem).
   */
  public Integer count(JsonNode obj, String key, String nodeId, int min) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < min) {
      problem(
          obj,
          key,
          nodeId,
          "'"
              + key
              + "' must be a whole number from "
              + min
              + " to "
              + Integer.MAX_VALUE
              + ", got "
              + v);
      return null;
    }
    return v.asInt();
  }

  public Long integer(JsonNode obj, String key, String nodeId, long min, long orElse) {
    return absent(obj, key) ? Long.valueOf(orElse) : integer(obj, key, nodeId, min);
  }

  /** A port, 1..65535; required. */
  public Integer port(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      problem(obj, null, nodeId, "missing required key '" + key + "' (a port, 1..65535)");
      return null;
    }
    if (!v.canConvertToExactIntegral() || v.asLong() < 1 || v.asLong() > 65_535) {
      problem(obj, key, nodeId, "'" + key + "' must be a port in 1..65535, got " + v);
      return null;
    }
    return v.asInt();
  }

  public Double number(JsonNode obj, String key, String nodeId) {
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

  public Boolean bool(JsonNode obj, String key, String nodeId) {
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

  /** A duration as {@link Durations} reads it, zero or more. */
  public Duration duration(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      problem(obj, key, nodeId, "'" + key + "' must not be blank; write e.g. 250ms, 2s or PT2S");
      return null;
    }
    try {
      Duration d = Durations.parse(v.asText());
      if (d.isNegative()) {
        problem(obj, key, nodeId, "'" + key + "' must not be negative, got " + v.asText());
        return null;
      }
      return d;
    } catch (IllegalArgumentException | ArithmeticException e) {
      problem(obj, key, nodeId, "'" + key + "': " + e.getMessage());
      return null;
    }
  }

  /** A duration of more than zero, or {@code orElse} when the key is absent. */
  public Duration positiveDuration(JsonNode obj, String key, String nodeId, Duration orElse) {
    if (absent(obj, key)) {
      return orElse;
    }
    Duration d = duration(obj, key, nodeId);
    if (d != null && d.isZero()) {
      problem(obj, key, nodeId, "'" + key + "' must be a positive duration, got " + obj.get(key));
      return null;
    }
    return d;
  }

  /** A size as {@link ByteSizes} reads it: a whole number of bytes or a number with a unit. */
  public Long bytes(JsonNode obj, String key, String nodeId) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.canConvertToExactIntegral() && v.canConvertToLong() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      problem(obj, key, nodeId, "'" + key + "' must not be blank; write e.g. 512KB or 1GiB");
      return null;
    }
    try {
      return ByteSizes.parse(v.asText());
    } catch (IllegalArgumentException e) {
      problem(obj, key, nodeId, "'" + key + "': " + e.getMessage());
      return null;
    }
  }

  public Long bytes(JsonNode obj, String key, String nodeId, long orElse) {
    return absent(obj, key) ? Long.valueOf(orElse) : bytes(obj, key, nodeId);
  }

  /** A string or a list of strings. */
  public List<String> strings(JsonNode obj, String key, String nodeId) {
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

package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.Durations;
import io.sluice.model.format.SourceDocument;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one configuration section that record a {@link Problem} with the key's line
 * instead of stopping at the first bad value, so every problem is reported at once.
 */
final class ConfigFields {
  private final SourceDocument doc;
  private final List<Problem> problems;

  ConfigFields(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  Location at(JsonNode obj, String key) {
    return key == null ? doc.locate(obj) : doc.locate(obj, key);
  }

  void problem(Location where, String section, String message) {
    problems.add(new Problem(where, section, message));
  }

  void problem(JsonNode obj, String key, String section, String message) {
    problem(at(obj, key), section, message);
  }

  /** Reports every key of {@code obj} that is not in {@code allowed}. */
  void checkKeys(JsonNode obj, Set<String> allowed, String section) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problem(
            obj,
            key,
            section,
            "unknown key '"
                + key
                + "'; allowed here: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** The object under {@code key}, or null (with a problem when it is there but not an object). */
  JsonNode object(JsonNode parent, String key, String section, boolean required) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problem(parent, null, section, "missing required section '" + key + "'");
      }
      return null;
    }
    if (!v.isObject()) {
      problem(parent, key, section, "'" + key + "' must be a mapping of keys to values");
      return null;
    }
    return v;
  }

  String text(JsonNode obj, String key, String section, boolean required) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problem(obj, null, section, "missing required key '" + key + "'");
      }
      return null;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      problem(obj, key, section, "'" + key + "' must be a non-empty string, got " + v);
      return null;
    }
    return v.asText().trim();
  }

  Integer port(JsonNode obj, String key, String section) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      problem(obj, null, section, "missing required key '" + key + "' (a port, 1..65535)");
      return null;
    }
    if (!v.canConvertToExactIntegral() || v.asLong() < 1 || v.asLong() > 65_535) {
      problem(obj, key, section, "'" + key + "' must be a port in 1..65535, got " + v);
      return null;
    }
    return v.asInt();
  }

  Integer integer(JsonNode obj, String key, String section, int min, int orElse) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return orElse;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < min) {
      problem(obj, key, section, "'" + key + "' must be a whole number >= " + min + ", got " + v);
      return null;
    }
    return v.asInt();
  }

  Long bytes(JsonNode obj, String key, String section, long orElse) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return orElse;
    }
    if (v.canConvertToExactIntegral() && v.asLong() >= 0) {
      return v.asLong();
    }
    try {
      return ByteSizes.parse(v.asText());
    } catch (IllegalArgumentException e) {
      problem(obj, key, section, "'" + key + "': " + e.getMessage());
      return null;
    }
  }

  Duration duration(JsonNode obj, String key, String section, Duration orElse) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return orElse;
    }
    try {
      Duration d = Durations.parse(v.asText());
      if (d.isZero() || d.isNegative()) {
        problem(obj, key, section, "'" + key + "' must be a positive duration, got " + v);
        return null;
      }
      return d;
    } catch (IllegalArgumentException | ArithmeticException e) {
      problem(obj, key, section, "'" + key + "': " + e.getMessage());
      return null;
    }
  }
}

package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Hints;
import io.sluice.model.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the optional fields of WfCommons objects, leniently, reporting values of a wrong type. */
final class WfformatFields {
  private final SourceDocument doc;
  private final List<Problem> problems;

  WfformatFields(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  /** Text of the first of {@code fields} present as a plain value, else null. */
  static String text(JsonNode obj, String... fields) {
    for (String f : fields) {
      JsonNode v = obj.get(f);
      if (v != null && v.isValueNode() && !v.isNull() && !v.asText().isEmpty()) {
        return v.asText();
      }
    }
    return null;
  }

  /**
   * The first of {@code fields} present, as a number; 0 if absent, wrong (a problem) or negative
   * (the schema allows any number, and a negative measurement is no usable hint).
   */
  double number(JsonNode obj, String node, String... fields) {
    for (String f : fields) {
      JsonNode v = obj.get(f);
      if (v == null || v.isNull()) {
        continue;
      }
      double d = v.isNumber() ? v.asDouble() : parse(v.asText());
      if (!Double.isFinite(d)) {
        problems.add(
            new Problem(doc.locate(obj, f), node, "'" + f + "' must be a number, got " + v));
        return 0;
      }
      return Math.max(0, d);
    }
    return 0;
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The texts of an array field (empty if absent); a non-array is a problem. */
  List<String> strings(JsonNode obj, String field, String node) {
    JsonNode v = obj.get(field);
    List<String> out = new ArrayList<>(v == null ? 0 : v.size());
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problems.add(new Problem(doc.locate(obj, field), node, "'" + field + "' must be a list"));
      return out;
    }
    for (JsonNode item : v) {
      if (item.isValueNode() && !item.isNull() && !item.asText().isEmpty()) {
        out.add(item.asText());
      }
    }
    return out;
  }

  /** Runtime, memory and cores of a task; {@code memory} (schemas before 1.4) is in KB. */
  Hints hints(JsonNode obj, String node) {
    double runtime = number(obj, node, "runtimeInSeconds", "runtime");
    double memory = number(obj, node, "memoryInBytes");
    if (memory == 0) {
      memory = number(obj, node, "memory") * 1000;
    }
    double cores = number(obj, node, "coreCount", "cores");
    return new Hints(Duration.ofNanos(Math.round(runtime * 1e9)), 0, Math.round(memory), cores);
  }

  Problem problem(JsonNode obj, String field, String node, String message) {
    return new Problem(doc.locate(obj, field), node, message);
  }

  void add(Problem p) {
    problems.add(p);
  }
}

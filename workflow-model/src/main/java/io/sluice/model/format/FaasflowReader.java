package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Problem;
import io.sluice.model.format.FaasflowFunction.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code functions} list of a FaaSFlow document, collecting every problem. */
final class FaasflowReader {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  private final SourceDocument doc;
  private final List<Problem> problems;

  FaasflowReader(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  List<FaasflowFunction> read(JsonNode functions) {
    List<FaasflowFunction> out = new ArrayList<>();
    for (JsonNode f : functions) {
      if (!f.isObject()) {
        problems.add(new Problem(doc.locate(functions), null, "a function must be an object"));
        continue;
      }
      JsonNode name = f.get("name");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        problems.add(new Problem(doc.locate(f), null, "function without a 'name'"));
        continue;
      }
      String id = name.asText();
      if (id.indexOf('/') >= 0) {
        problems.add(new Problem(doc.locate(f, "name"), id, "a name must not contain '/'"));
        continue;
      }
      JsonNode next = f.path("next");
      out.add(
          new FaasflowFunction(
              id,
              text(f, "source", id),
              number(f, "runtime", id, 0),
              memoryBytes(f, id),
              splitRatio(f, id),
              ports(f, "input", id),
              ports(f, "output", id),
              next.isObject() ? text(next, "type", null) : null,
              strings(next, "nodes", id),
              strings(next, "conditions", id),
              f));
    }
    return out;
  }

  private String text(JsonNode obj, String field, String fallback) {
    JsonNode v = obj.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : fallback;
  }

  private double number(JsonNode obj, String field, String node, double fallback) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
      problems.add(
          new Problem(
              doc.locate(obj, field),
              node,
              "'" + field + "' must be a non-negative number, got " + v));
      return fallback;
    }
    return v.asDouble();
  }

  /**
   * FaaSFlow's {@code mem_usage} is 0.25 for every benchmark function, and FaaSFlow sizes each
   * container at 256 MiB: it reads as GiB. Values of 64 or more are taken as MiB, and values of 1
   * MiB or more as bytes, so a trace written in either unit still gives a sensible hint.
   */
  private long memoryBytes(JsonNode f, String node) {
    double v = number(f, "mem_usage", node, 0);
    if (v <= 0) {
      return 0;
    }
    if (v < 64) {
      return Math.round(v * GIB);
    }
    return v < MIB ? Math.round(v * MIB) : Math.round(v);
  }

  private int splitRatio(JsonNode f, String node) {
    JsonNode v = f.get("split_ratio");
    if (v == null || v.isNull()) {
      return 1;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
      problems.add(
          new Problem(
              doc.locate(f, "split_ratio"), node, "split_ratio must be an integer >= 1, got " + v));
      return 1;
    }
    return v.asInt();
  }

  private List<Port> ports(JsonNode f, String field, String node) {
    JsonNode section = f.get(field);
    List<Port> out = new ArrayList<>();
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      problems.add(new Problem(doc.locate(f, field), node, "'" + field + "' must be a mapping"));
      return out;
    }
    for (Map.Entry<String, JsonNode> e : section.properties()) {
      JsonNode p = e.getValue();
      if (!p.isObject()) {
        problems.add(
            new Problem(
                doc.locate(section, e.getKey()),
                node,
                field + " '" + e.getKey() + "'" + " must be a mapping with type, value and size"));
        continue;
      }
      JsonNode value = p.path("value");
      out.add(
          new Port(
              e.getKey(),
              text(p, "type", "normal"),
              value.isObject() ? text(value, "function", null) : null,
              value.isObject() ? text(value, "parameter", null) : null,
              Math.round(number(p, "size", node, 0))));
    }
    return out;
  }

  private List<String> strings(JsonNode obj, String field, String node) {
    JsonNode v = obj.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problems.add(new Problem(doc.locate(obj, field), node, "'" + field + "' must be a list"));
      return out;
    }
    for (JsonNode item : v) {
      if (item.isValueNode() && !item.isNull()) {
        out.add(item.asText());
      } else {
        problems.add(
            new Problem(doc.locate(obj, field), node, "'" + field + "' must list plain values"));
      }
    }
    return out;
  }
}

package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Edge;

/**
 * Where an edge goes, as written: a node id, or {@code {to: id, bytes: N}} when the edge carries an
 * expected-bytes hint.
 */
record Target(String to, long bytes) {

  Edge edge(String from, Edge.Kind kind) {
    return new Edge(from, to, kind, bytes);
  }

  /** Reads one target (the value of {@code parent.field}); null after recording a problem. */
  static Target read(FieldReader f, JsonNode value, JsonNode parent, String field, String nodeId) {
    if (value != null && value.isTextual()) {
      return new Target(value.asText(), 0);
    }
    if (value != null && value.isObject()) {
      f.checkKeys(value, java.util.Set.of("to", "bytes"), "an edge target", nodeId);
      String to = f.text(value, "to", nodeId, true);
      Long bytes = f.bytes(value, "bytes", nodeId);
      return to == null ? null : new Target(to, bytes == null ? 0 : bytes);
    }
    f.problem(parent, field, nodeId, "'" + field + "' must be a node id or {to: id, bytes: N}");
    return null;
  }

  /** Reads a single target or a list of them. */
  static java.util.List<Target> readAll(FieldReader f, JsonNode parent, String field, String id) {
    JsonNode v = parent.get(field);
    java.util.List<Target> out = new java.util.ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isArray()) {
      for (JsonNode item : v) {
        Target t = read(f, item, parent, field, id);
        if (t != null) {
          out.add(t);
        }
      }
    } else {
      Target t = read(f, v, parent, field, id);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }
}

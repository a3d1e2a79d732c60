package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a workflow object of the native format (the document itself, or an inline workflow). */
final class GraphReader {
  static final Set<String> TOP_KEYS =
      Set.of(
          "sluice",
          "name",
          "version",
          "description",
          "start",
          "output",
          "functions",
          "nodes",
          "schedule");
  static final Set<String> INLINE_KEYS =
      Set.of("name", "version", "description", "start", "output", "functions", "nodes");
  static final Set<String> COMMON_NODE_KEYS =
      Set.of("id", "type", "next", "input", "output", "retry", "catch", "timeout", "join", "hints");

  private final FieldReader f;
  private final OptionsReader options;
  private final NodeReader nodeReader;

  GraphReader(FieldReader f) {
    this.f = f;
    this.options = new OptionsReader(f);
    this.nodeReader = new NodeReader(f, this);
  }

  /**
   * Reads a workflow object.
   *
   * @param defaultName the name when the object has none (inline workflows: the outer node's id)
   * @param prefix prepended to node ids in problems ({@code outer/}), empty at the top level
   */
  WorkflowGraph read(JsonNode wf, String defaultName, String prefix, boolean topLevel) {
    String where = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
    f.checkKeys(
        wf,
        topLevel ? TOP_KEYS : INLINE_KEYS,
        topLevel ? "a workflow" : "an inline workflow",
        where);
    String name = f.text(wf, "name", where, defaultName == null);
    String version = f.text(wf, "version", where, false);
    List<String> start = f.strings(wf, "start", where);
    Expr output = f.expr(wf, "output", where, false);
    Map<String, FunctionDef> functions = functions(wf, where);
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    JsonNode list = wf.get("nodes");
    if (list == null || !list.isArray() || list.isEmpty()) {
      f.problem(
          wf, list == null ? null : "nodes", where, "'nodes' must be a non-empty list of nodes");
    } else {
      Map<String, Integer> firstLine = new HashMap<>();
      for (JsonNode n : list) {
        readNode(n, list, prefix, nodes, edges, firstLine);
      }
    }
    return new WorkflowGraph(
        name == null ? (defaultName == null ? "unnamed" : defaultName) : name,
        version,
        nodes,
        new ArrayList<>(new LinkedHashSet<>(edges)),
        start,
        functions,
        output,
        f.doc().locate(wf),
        topLevel ? schedule(wf) : null);
  }

  /** The top level's {@code schedule} (docs/definition-format.md), or null. */
  private io.sluice.model.WorkflowSchedule schedule(JsonNode wf) {
    JsonNode s = wf.get("schedule");
    if (s == null) {
      return null;
    }
    try {
      return io.sluice.model.ScheduleReader.read(
          s,
          v -> {
            if (!v.isTextual()) {
              throw new IllegalArgumentException("expected a duration such as 30s, 5m or PT1H");
            }
            return Durations.parse(v.asText());
          },
          v -> false);
    } catch (IllegalArgumentException e) {
      String key = io.sluice.model.ScheduleReader.kindKey(s);
      f.problem(key == null ? wf : s, key == null ? "schedule" : key, null, e.getMessage());
      return null;
    }
  }

  private void readNode(
      JsonNode n,
      JsonNode list,
      String prefix,
      Map<String, Node> nodes,
      List<Edge> edges,
      Map<String, Integer> firstLine) {
    if (!n.isObject()) {
      f.problem(list, null, null, "each node must be an object with 'id' and 'type', got " + n);
      return;
    }
    String id = f.text(n, "id", null, true);
    if (id == null) {
      return;
    }
    String where = prefix + id;
    String type = f.text(n, "type", where, true);
    Set<String> kindKeys = type == null ? null : NodeReader.KIND_KEYS.get(type);
    if (type != null && kindKeys == null) {
      f.problem(
          n,
          "type",
          where,
          "unknown node type '" + type + "'; expected one of: " + NodeReader.TYPES);
    }
    if (kindKeys != null) {
      Set<String> allowed = new java.util.TreeSet<>(COMMON_NODE_KEYS);
      allowed.addAll(kindKeys);
      f.checkKeys(n, allowed, "a " + type + " node", where);
    }
    Integer first = firstLine.putIfAbsent(id, f.doc().locate(n).line());
    if (first != null) {
      f.problem(
          n, "id", where, "duplicate node id '" + id + "' (first defined at line " + first + ")");
      return;
    }
    List<Edge> own = new ArrayList<>();
    for (Target t : Target.readAll(f, n, "next", where)) {
      own.add(t.edge(id, Edge.Kind.NEXT));
    }
    NodeOptions opts = options.read(n, where, id, own);
    if (kindKeys == null) {
      return;
    }
    try {
      Node node = nodeReader.read(type, (ObjectNode) n, id, where, opts, own);
      if (node != null) {
        nodes.put(id, node);
        edges.addAll(own);
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      f.problem(n, null, where, e.getMessage());
    }
  }

  private Map<String, FunctionDef> functions(JsonNode wf, String where) {
    Map<String, FunctionDef> out = new LinkedHashMap<>();
    JsonNode fs = wf.get("functions");
    if (fs == null || fs.isNull()) {
      return out;
    }
    if (!f.isObject(fs, wf, "functions", where, "a map of function name -> {runtime, ...}")) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : fs.properties()) {
      if (!f.isObject(e.getValue(), fs, e.getKey(), where, "an object {runtime, ...settings}")) {
        continue;
      }
      ObjectNode settings = ((ObjectNode) e.getValue()).deepCopy();
      String runtime = f.text(e.getValue(), "runtime", where, true);
      settings.remove("runtime");
      if (runtime != null) {
        out.put(
            e.getKey(),
            new FunctionDef(e.getKey(), runtime, settings, f.doc().locate(fs, e.getKey())));
      }
    }
    return out;
  }
}

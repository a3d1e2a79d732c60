package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the kind-specific keys of one node of the native format. */
final class NodeReader {
  /** A loop's bound when the definition gives none. */
  static final int DEFAULT_MAX_ITERATIONS = 100;

  static final Map<String, Set<String>> KIND_KEYS = new LinkedHashMap<>();

  static {
    KIND_KEYS.put("task", Set.of("function"));
    KIND_KEYS.put("switch", Set.of("cases", "default"));
    KIND_KEYS.put("map", Set.of("items", "maxConcurrency", "iterator", "function"));
    KIND_KEYS.put("loop", Set.of("body", "function", "while", "maxIterations"));
    KIND_KEYS.put("wait", Set.of("duration"));
    KIND_KEYS.put("event", Set.of("eventType", "correlation", "correlate"));
    KIND_KEYS.put("subworkflow", Set.of("workflow"));
    KIND_KEYS.put("pass", Set.of());
    KIND_KEYS.put("end", Set.of("fail", "error", "cause"));
  }

  static final String TYPES = String.join(", ", KIND_KEYS.keySet());

  private final FieldReader f;
  private final GraphReader graphs;

  NodeReader(FieldReader f, GraphReader graphs) {
    this.f = f;
    this.graphs = graphs;
  }

  /** Builds the node, adding its BRANCH edges to {@code edges}; null after recording a problem. */
  Node read(String type, ObjectNode n, String id, String where, NodeOptions o, List<Edge> edges) {
    return switch (type) {
      case "task" -> {
        String fn = f.text(n, "function", where, true);
        yield fn == null ? null : new TaskNode(id, fn, o);
      }
      case "switch" -> readSwitch(n, id, where, o, edges);
      case "map" -> {
        Expr items = f.expr(n, "items", where, true);
        Integer max = f.count(n, "maxConcurrency", where, 0);
        WorkflowGraph it = inner(n, "iterator", id, where);
        yield items == null || it == null
            ? null
            : new MapNode(id, items, it, max == null ? 0 : max, o);
      }
      case "loop" -> {
        Expr cond = f.expr(n, "while", where, true);
        Integer max = f.count(n, "maxIterations", where, 1);
        WorkflowGraph body = inner(n, "body", id, where);
        yield cond == null || body == null
            ? null
            : new LoopNode(id, body, cond, max == null ? DEFAULT_MAX_ITERATIONS : max, o);
      }
      case "wait" -> {
        Duration d = f.duration(n, "duration", where);
        if (d == null && !n.has("duration")) {
          f.problem(n, null, where, "missing required key 'duration'");
        }
        yield d == null ? null : new WaitNode(id, d, o);
      }
      case "event" -> {
        String eventType = f.text(n, "eventType", where, true);
        Expr corr = f.expr(n, "correlation", where, false);
        EventWaitNode.Correlate key = readCorrelate(n, where);
        boolean bad = n.hasNonNull("correlate") && key == null;
        yield eventType == null || bad ? null : new EventWaitNode(id, eventType, corr, key, o);
      }
      case "subworkflow" -> readSubWorkflow(n, id, where, o);
      case "pass" -> new PassNode(id, o);
      default -> {
        Boolean fail = f.bool(n, "fail", where);
        yield new EndNode(
            id,
            fail != null && fail,
            f.text(n, "error", where, false),
            f.text(n, "cause", where, false),
            o);
      }
    };
  }

  /** {@code correlate: {subject: jq}} or {@code {extension: name, equals: jq}}; null if absent. */
  private EventWaitNode.Correlate readCorrelate(ObjectNode n, String where) {
    if (FieldReader.absent(n, "correlate")) {
      return null;
    }
    String shape = "{subject: jq} or {extension: name, equals: jq}";
    JsonNode c = n.get("correlate");
    if (!f.isObject(c, n, "correlate", where, shape)) {
      return null;
    }
    f.checkKeys(c, Set.of("subject", "extension", "equals"), "correlate", where);
    if (c.has("subject") == (c.has("extension") || c.has("equals"))) {
      f.problem(n, "correlate", where, "'correlate' takes exactly one of " + shape);
      return null;
    }
    if (c.has("subject")) {
      Expr value = f.expr(c, "subject", where, true);
      return value == null ? null : EventWaitNode.Correlate.subject(value);
    }
    String name = f.text(c, "extension", where, true);
    Expr value = f.expr(c, "equals", where, true);
    if (name == null || value == null) {
      return null;
    }
    try {
      return EventWaitNode.Correlate.extension(name, value);
    } catch (IllegalArgumentException e) {
      f.problem(c, "extension", where, e.getMessage());
      return null;
    }
  }

  private Node readSwitch(ObjectNode n, String id, String where, NodeOptions o, List<Edge> edges) {
    List<SwitchNode.Case> cases = new ArrayList<>();
    JsonNode list = n.get("cases");
    if (list != null && !list.isArray()) {
      f.problem(n, "cases", where, "'cases' must be a list of {when: jq, next: id}");
    } else if (list != null) {
      for (JsonNode c : list) {
        if (!f.isObject(c, n, "cases", where, "a list of {when: jq, next: id}")) {
          continue;
        }
        f.checkKeys(c, Set.of("when", "next"), "a switch case", where);
        Expr when = f.expr(c, "when", where, true);
        Target t = c.has("next") ? Target.read(f, c.get("next"), c, "next", where) : null;
        if (!c.has("next")) {
          f.problem(c, null, where, "missing required key 'next' in a switch case");
        }
        if (when != null && t != null) {
          cases.add(new SwitchNode.Case(when, t.to()));
          edges.add(t.edge(id, Edge.Kind.BRANCH));
        }
      }
    }
    String defaultTarget = null;
    if (n.hasNonNull("default")) {
      Target t = Target.read(f, n.get("default"), n, "default", where);
      if (t != null) {
        defaultTarget = t.to();
        edges.add(t.edge(id, Edge.Kind.BRANCH));
      }
    }
    return new SwitchNode(id, cases, defaultTarget, o);
  }

  /** The inline workflow under {@code key}, or the one-task workflow of a {@code function}. */
  private WorkflowGraph inner(ObjectNode n, String key, String id, String where) {
    JsonNode wf = n.get(key);
    String fn = f.text(n, "function", where, false);
    if (wf != null && fn != null) {
      f.problem(n, "function", where, "write '" + key + "' or 'function', not both");
      return null;
    }
    if (fn != null) {
      return oneTask(id, fn, f.doc().locate(n, "function"));
    }
    if (wf == null) {
      f.problem(n, null, where, "missing '" + key + "' (an inline workflow) or 'function'");
      return null;
    }
    if (!f.isObject(wf, n, key, where, "an inline workflow {nodes: [...]}")) {
      return null;
    }
    return graphs.read(wf, id, where + "/", false);
  }

  /** The workflow a {@code function} shorthand stands for: one task named like its node. */
  static WorkflowGraph oneTask(String id, String function, io.sluice.model.Location at) {
    TaskNode t = new TaskNode(id, function, NodeOptions.DEFAULT.withLocation(at));
    return new WorkflowGraph(id, "1", Map.of(id, t), List.of(), List.of(), Map.of(), null, at);
  }

  private Node readSubWorkflow(ObjectNode n, String id, String where, NodeOptions o) {
    JsonNode wf = n.get("workflow");
    if (wf == null || wf.isNull()) {
      f.problem(n, null, where, "missing required key 'workflow' (an inline workflow or a file)");
      return null;
    }
    if (wf.isObject()) {
      WorkflowGraph g = graphs.read(wf, id, where + "/", false);
      return new SubWorkflowNode(id, g, o);
    }
    if (!wf.isTextual()) {
      f.problem(n, "workflow", where, "'workflow' must be an inline workflow or a file path");
      return null;
    }
    Path base = Path.of(f.doc().file()).toAbsolutePath().getParent();
    Path file = base == null ? Path.of(wf.asText()) : base.resolve(wf.asText());
    Path root = WorkflowLoader.includeRoot(base);
    if (root != null) {
      try {
        // an include may climb out of its own folder, never out of the top-level file's
        if (Path.of(wf.asText()).isAbsolute()) {
          FolderPaths.inside(root, wf.asText());
        }
        FolderPaths.inside(root, root.relativize(file.toAbsolutePath().normalize()).toString());
      } catch (IllegalArgumentException e) {
        f.problem(
            n,
            "workflow",
            where,
            "cannot include '" + wf.asText() + "': the path " + e.getMessage());
        return null;
      }
    }
    try {
      return new SubWorkflowNode(id, WorkflowLoader.loadIncluded(file.normalize()), o);
    } catch (DefinitionException e) {
      if (e.problems().stream().allMatch(p -> p.location().line() == 0)) {
        f.problem(
            n,
            "workflow",
            where,
            "cannot include '"
                + wf.asText()
                + "': "
                + e.problems().stream()
                    .map(io.sluice.model.Problem::message)
                    .collect(java.util.stream.Collectors.joining("; ")));
      } else {
        f.problems().addAll(e.problems());
      }
      return null;
    }
  }
}

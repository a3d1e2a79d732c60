package io.sluice.model.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.Node;
import io.sluice.model.WorkflowGraph;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes any workflow graph (built with the DSL or imported from another format) in the native
 * format, so that {@code NativeImporter} reads back an equal graph. Edges are written where the
 * format keeps them: NEXT edges as {@code next}, BRANCH edges as switch cases/default, CATCH edges
 * as {@code catch}; an edge that none of these describes (a BRANCH edge that leaves no switch case,
 * a CATCH edge without a catcher) is not written (the validator reports such edges).
 */
public final class NativeWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private NativeWriter() {}

  /** The graph as a native-format document tree. */
  public static ObjectNode toTree(WorkflowGraph g) {
    TreeWriter w = new TreeWriter();
    GraphWalk.depthFirst(g, w);
    return w.written.remove("");
  }

  /**
   * Writes each graph when the walk leaves it: by then the inner graphs of its nodes are written,
   * and each node takes its inner graph's tree from {@code written} (by the inner graph's path
   * prefix) instead of recursing.
   */
  private static final class TreeWriter implements GraphWalk.Visitor {
    final Map<String, ObjectNode> written = new HashMap<>();

    @Override
    public void leaveGraph(GraphWalk.NestedGraph nested) {
      WorkflowGraph g = nested.graph();
      ObjectNode o = F.objectNode();
      if (nested.isRoot()) {
        o.put("sluice", NativeImporter.FORMAT_VERSION);
        o.put("name", g.name());
        o.put("version", g.version());
        if (g.schedule() != null) {
          o.set("schedule", io.sluice.model.ScheduleReader.write(g.schedule(), Durations::format));
        }
      } else {
        // An inline workflow: name and version only where not the default.
        if (!g.name().equals(nested.owner().id())) {
          o.put("name", g.name());
        }
        if (!g.version().equals("1")) {
          o.put("version", g.version());
        }
      }
      writeBody(o, g, nested.prefix(), written);
      written.put(nested.prefix(), o);
    }
  }

  public static String toJson(WorkflowGraph g) {
    try {
      return JSON.writeValueAsString(toTree(g)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toYaml(WorkflowGraph g) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setWidth(120);
    return new Yaml(o).dump(JSON.convertValue(toTree(g), Object.class));
  }

  private static void writeBody(
      ObjectNode o, WorkflowGraph g, String prefix, Map<String, ObjectNode> written) {
    if (g.start().size() == 1) {
      o.put("start", g.start().get(0));
    } else if (!g.start().isEmpty()) {
      ArrayNode a = o.putArray("start");
      g.start().forEach(a::add);
    }
    if (g.output() != null) {
      o.put("output", g.output().source());
    }
    if (!g.functions().isEmpty()) {
      ObjectNode fs = o.putObject("functions");
      for (FunctionDef fd : g.functions().values()) {
        ObjectNode fn = fs.putObject(fd.name());
        fn.put("runtime", fd.runtime());
        fd.settings().properties().forEach(e -> fn.set(e.getKey(), e.getValue().deepCopy()));
      }
    }
    Map<String, List<Edge>> out = new HashMap<>();
    for (Edge e : g.edges()) {
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
    }
    ArrayNode nodes = o.putArray("nodes");
    for (Node n : g.nodes().values()) {
      ObjectNode inner = written.remove(prefix + n.id() + "/");
      nodes.add(NodeWriter.write(n, out.getOrDefault(n.id(), List.of()), inner));
    }
  }

  /** A target as written: the id, or {@code {to, bytes}} when the edge has a bytes hint. */
  static JsonNode target(String to, Edge.Kind kind, List<Edge> edges) {
    for (Edge e : edges) {
      if (e.kind() == kind && e.to().equals(to) && e.bytes() > 0) {
        ObjectNode t = F.objectNode();
        t.put("to", to);
        t.put("bytes", e.bytes());
        return t;
      }
    }
    return F.textNode(to);
  }
}

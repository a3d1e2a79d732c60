package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds large WfFormat 1.5 documents by widening a real trace, for scale tests: copies of the
 * trace's tasks side by side (ids and files suffixed {@code _c<k>}), the last copy cut to a prefix
 * in topological order if needed, and one final task {@code gather_ID0000000} that every copy's
 * sinks fan into. Kept dependency-free (Jackson only) so other modules can copy it.
 */
public final class WfformatGenerator {
  public static final String GATHER = "gather_ID0000000";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode trace;
  private final List<JsonNode> ordered;
  private final Map<String, JsonNode> execution = new HashMap<>();
  private final Map<String, Long> sizes = new HashMap<>();

  private WfformatGenerator(ObjectNode trace) {
    this.trace = trace;
    this.ordered = topological(trace.path("workflow").path("specification").path("tasks"));
    for (JsonNode t : trace.path("workflow").path("execution").path("tasks")) {
      execution.put(t.path("id").asText(), t);
    }
    for (JsonNode f : trace.path("workflow").path("specification").path("files")) {
      sizes.put(f.path("id").asText(), f.path("sizeInBytes").asLong());
    }
  }

  /** A generator widening the 1.5 trace in {@code file}. */
  public static WfformatGenerator of(Path file) {
    try {
      return new WfformatGenerator((ObjectNode) JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many tasks the trace has. */
  public int traceTasks() {
    return ordered.size();
  }

  /** A document of exactly {@code tasks} tasks (at least 2), as JSON text. */
  public String generate(int tasks) {
    ArrayNode specTasks = JSON.createArrayNode();
    ArrayNode execTasks = JSON.createArrayNode();
    Map<String, Long> files = new LinkedHashMap<>();
    ArrayNode gatherParents = JSON.createArrayNode();
    ArrayNode gatherInputs = JSON.createArrayNode();
    int remaining = tasks - 1;
    for (int copy = 0; remaining > 0; copy++) {
      int n = Math.min(remaining, ordered.size());
      remaining -= n;
      Set<String> kept = new HashSet<>();
      for (int i = 0; i < n; i++) {
        kept.add(ordered.get(i).path("id").asText());
      }
      for (int i = 0; i < n; i++) {
        JsonNode t = ordered.get(i);
        String suffix = "_c" + copy;
        ObjectNode c = JSON.createObjectNode();
        c.put("name", t.path("name").asText() + suffix);
        c.put("id", t.path("id").asText() + suffix);
        ArrayNode children = renamed(t.path("children"), kept, suffix);
        c.set("parents", renamed(t.path("parents"), kept, suffix));
        c.set("children", children);
        c.set("inputFiles", files(t.path("inputFiles"), suffix, files));
        ArrayNode outputs = files(t.path("outputFiles"), suffix, files);
        c.set("outputFiles", outputs);
        if (children.isEmpty()) {
          children.add(GATHER);
          gatherParents.add(c.get("id").asText());
          gatherInputs.addAll(outputs);
        }
        specTasks.add(c);
        ObjectNode e =
            execution.containsKey(t.path("id").asText())
                ? execution.get(t.path("id").asText()).deepCopy()
                : JSON.createObjectNode().put("runtimeInSeconds", 1);
        execTasks.add(e.put("id", c.get("id").asText()));
      }
    }
    ObjectNode gather = specTasks.addObject();
    gather.put("name", GATHER).put("id", GATHER);
    gather.set("parents", gatherParents);
    gather.set("children", JSON.createArrayNode());
    gather.set("inputFiles", gatherInputs);
    gather.set("outputFiles", JSON.createArrayNode());
    execTasks.addObject().put("id", GATHER).put("runtimeInSeconds", 1);
    return document(specTasks, execTasks, files, tasks);
  }

  private String document(
      ArrayNode specTasks, ArrayNode execTasks, Map<String, Long> files, int n) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("name", trace.path("name").asText("trace") + "-widened-" + n);
    doc.put("schemaVersion", "1.5");
    ObjectNode spec = doc.putObject("workflow").putObject("specification");
    spec.set("tasks", specTasks);
    ArrayNode fileList = spec.putArray("files");
    files.forEach((id, size) -> fileList.addObject().put("id", id).put("sizeInBytes", size));
    ObjectNode exec = ((ObjectNode) doc.get("workflow")).putObject("execution");
    exec.put("makespanInSeconds", 0).put("executedAt", "2024-01-01T00:00:00Z");
    exec.set("tasks", execTasks);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ArrayNode renamed(JsonNode ids, Set<String> kept, String suffix) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode id : ids) {
      if (kept.contains(id.asText())) {
        out.add(id.asText() + suffix);
      }
    }
    return out;
  }

  private ArrayNode files(JsonNode ids, String suffix, Map<String, Long> files) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode id : ids) {
      String renamed = id.asText() + suffix;
      files.putIfAbsent(renamed, sizes.getOrDefault(id.asText(), 0L));
      out.add(renamed);
    }
    return out;
  }

  private static List<JsonNode> topological(JsonNode tasks) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    Map<String, Set<String>> children = new HashMap<>();
    Map<String, Integer> indegree = new HashMap<>();
    tasks.forEach(t -> byId.put(t.path("id").asText(), t));
    byId.keySet().forEach(id -> indegree.put(id, 0));
    for (JsonNode t : tasks) {
      String id = t.path("id").asText();
      t.path("parents").forEach(p -> link(p.asText(), id, children, indegree));
      t.path("children").forEach(c -> link(id, c.asText(), children, indegree));
    }
    Deque<String> ready = new ArrayDeque<>();
    byId.keySet().stream().filter(id -> indegree.get(id) == 0).forEach(ready::add);
    List<JsonNode> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      out.add(byId.get(id));
      for (String c : children.getOrDefault(id, Set.of())) {
        if (indegree.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    return out;
  }

  private static void link(
      String from, String to, Map<String, Set<String>> children, Map<String, Integer> indegree) {
    if (children.computeIfAbsent(from, k -> new HashSet<>()).add(to)) {
      indegree.merge(to, 1, Integer::sum);
    }
  }
}

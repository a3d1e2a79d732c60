package io.sluice.bench;

import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A benchmark copy of the test-only reader of FaaSFlow's flat_workflow.yaml into a graph of task
 * nodes and NEXT edges (switches become tasks with BRANCH edges), enough to partition it. Hints:
 * compute time = {@code runtime} seconds, output bytes = the sum of its output sizes; an edge
 * carries the sizes of the consumer's inputs named like the producer's outputs. Copied from
 * master-scheduler's tests until the FaaSFlow importer (workflow-model) is merged; then use that
 * instead.
 */
final class FaasflowGraphs {
  private FaasflowGraphs() {}

  static Path corpus() {
    return Path.of(System.getProperty("sluice.corpus", "../shared/corpus"));
  }

  static WorkflowGraph read(String name) {
    return read(corpus().resolve("faasflow").resolve(name).resolve("flat_workflow.yaml"));
  }

  @SuppressWarnings("unchecked")
  static WorkflowGraph read(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(Integer.MAX_VALUE);
    options.setCodePointLimit(Integer.MAX_VALUE);
    Map<String, Object> doc;
    try (Reader r = Files.newBufferedReader(file)) {
      doc = new Yaml(options).load(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    List<Map<String, Object>> functions = (List<Map<String, Object>>) doc.get("functions");
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Map<String, Object> f : functions) {
      String name = (String) f.get("name");
      byName.put(name, f);
      long out = 0;
      for (Object o : section(f, "output").values()) {
        out += size(o);
      }
      double seconds = ((Number) f.getOrDefault("runtime", 0)).doubleValue();
      Hints hints = new Hints(Duration.ofMillis(Math.round(seconds * 1000)), out, 0, 0);
      nodes.put(name, new TaskNode(name, name, NodeOptions.DEFAULT.withHints(hints)));
    }
    List<Edge> edges = new ArrayList<>();
    for (Map<String, Object> f : functions) {
      String from = (String) f.get("name");
      Map<String, Object> next = section(f, "next");
      Edge.Kind kind = "switch".equals(next.get("type")) ? Edge.Kind.BRANCH : Edge.Kind.NEXT;
      for (Object to : (List<Object>) next.getOrDefault("nodes", List.of())) {
        Map<String, Object> consumer = byName.get((String) to);
        long bytes = 0;
        if (consumer != null) {
          Map<String, Object> inputs = section(consumer, "input");
          for (String key : section(f, "output").keySet()) {
            bytes += size(inputs.get(key));
          }
        }
        edges.add(new Edge(from, (String) to, kind, bytes));
      }
    }
    String workflow = file.getParent().getFileName().toString();
    return new WorkflowGraph(workflow, "1", nodes, edges, List.of(), Map.of(), null, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> f, String key) {
    Object v = f.get(key);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static long size(Object entry) {
    if (entry instanceof Map<?, ?> m && m.get("size") instanceof Number n) {
      return n.longValue();
    }
    return 0;
  }
}

package io.sluice.model.format;

import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.Problem;
import io.sluice.model.TaskNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds nodes and edges from a WfCommons trace in time linear in its size: edges are the union of
 * the parents and children lists; an edge's bytes are the sizes of the files the child reads that
 * the parent writes.
 */
final class WfformatGraphBuilder {
  private record Key(String from, String to) {}

  private final SourceDocument doc;
  private final List<Problem> problems;
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final Map<String, FunctionDef> functions = new LinkedHashMap<>();
  final List<Edge> edges = new ArrayList<>();

  WfformatGraphBuilder(SourceDocument doc, List<Problem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  void build(WfformatTrace trace) {
    for (WfformatTask t : trace.tasks) {
      long outputBytes = 0;
      for (String f : new LinkedHashSet<>(t.outputs())) {
        outputBytes = ByteSizes.plus(outputBytes, trace.fileSizes.getOrDefault(f, 0L));
      }
      NodeOptions options =
          NodeOptions.DEFAULT
              .withLocation(doc.locate(t.json()))
              .withHints(t.hints().withOutputBytes(outputBytes));
      if (nodes.putIfAbsent(t.id(), new TaskNode(t.id(), t.function(), options)) != null) {
        problems.add(new Problem(doc.locate(t.json()), t.id(), "duplicate task id"));
      }
      functions.computeIfAbsent(
          t.function(),
          f -> new FunctionDef(f, FaasflowNodeFactory.SYNTHETIC, null, doc.locate(t.json())));
    }
    Map<Key, long[]> bytes = new LinkedHashMap<>();
    for (WfformatTask t : trace.tasks) {
      for (String p : t.parents()) {
        String from = resolve(trace, t, p, "parents");
        if (from != null) {
          bytes.putIfAbsent(new Key(from, t.id()), new long[1]);
        }
      }
      for (String c : t.children()) {
        String to = resolve(trace, t, c, "children");
        if (to != null) {
          bytes.putIfAbsent(new Key(t.id(), to), new long[1]);
        }
      }
    }
    Map<String, List<String>> producers = new HashMap<>();
    for (WfformatTask t : trace.tasks) {
      for (String f : new LinkedHashSet<>(t.outputs())) {
        producers.computeIfAbsent(f, k -> new ArrayList<>(1)).add(t.id());
      }
    }
    for (WfformatTask t : trace.tasks) {
      for (String f : new LinkedHashSet<>(t.inputs())) {
        for (String p : producers.getOrDefault(f, List.of())) {
          long[] b = bytes.get(new Key(p, t.id()));
          if (b != null) {
            b[0] = ByteSizes.plus(b[0], trace.fileSizes.getOrDefault(f, 0L));
          }
        }
      }
    }
    bytes.forEach((k, b) -> edges.add(new Edge(k.from(), k.to(), Edge.Kind.NEXT, b[0])));
  }

  private String resolve(WfformatTrace trace, WfformatTask t, String ref, String field) {
    String id = trace.references.get(ref);
    if (id == null) {
      problems.add(
          new Problem(
              doc.locate(t.json(), field),
              t.id(),
              field + " names unknown task '" + ref + "'; list an existing task id"));
    } else if (id.equals(t.id())) {
      problems.add(
          new Problem(doc.locate(t.json(), field), t.id(), "a task cannot depend on itself"));
      return null;
    }
    return id;
  }
}

package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.Node;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports FaaSFlow's {@code flat_workflow.yaml}: functions become task nodes, {@code source:
 * VIRTUAL} switches become switch nodes, {@code source: END} an end node, foreach children map
 * nodes; every function runs on the {@code synthetic} runtime from its hints. See docs/importers.md
 * for the whole mapping.
 */
public final class FaasflowImporter implements WorkflowImporter {

  @Override
  public String format() {
    return "faasflow";
  }

  @Override
  public boolean accepts(SourceDocument doc) {
    JsonNode root = doc.root();
    if (root == null || !root.isObject() || root.has("sluice")) {
      return false;
    }
    JsonNode functions = root.get("functions");
    if (functions == null || !functions.isArray() || functions.isEmpty()) {
      return false;
    }
    JsonNode first = functions.get(0);
    return first.isObject() && first.has("name") && (first.has("next") || first.has("source"));
  }

  @Override
  public WorkflowGraph read(SourceDocument doc) {
    List<Problem> problems = new ArrayList<>();
    JsonNode root = doc.root();
    JsonNode list = root == null ? null : root.get("functions");
    if (list == null || !list.isArray()) {
      throw new DefinitionException(
          new Problem(doc.locate(root), null, "a FaaSFlow workflow needs a 'functions' list"));
    }
    List<FaasflowFunction> functions = new FaasflowReader(doc, problems).read(list);
    FaasflowGraphBuilder graph = new FaasflowGraphBuilder(doc, problems);
    graph.link(functions);
    FaasflowNodeFactory factory = new FaasflowNodeFactory(doc, problems, graph);
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (FaasflowFunction f : graph.byName.values()) {
      nodes.put(f.name(), factory.node(f));
    }
    Expr output = outputMapping(doc, root.get("global_output"), sinks(nodes, graph.edges));
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(x -> x.location().line()));
      throw new DefinitionException(problems);
    }
    return new WorkflowGraph(
        WorkflowNames.faasflow(doc),
        "1",
        nodes,
        graph.edges,
        List.of(),
        factory.functions,
        output,
        doc.locate(root));
  }

  private static List<String> sinks(Map<String, Node> nodes, List<Edge> edges) {
    Set<String> hasNext = new HashSet<>();
    for (Edge e : edges) {
      hasNext.add(e.from());
    }
    List<String> sinks = new ArrayList<>();
    for (String id : nodes.keySet()) {
      if (!hasNext.contains(id)) {
        sinks.add(id);
      }
    }
    return sinks;
  }

  /**
   * The workflow output from {@code global_output}: each entry names a function's output. The
   * default workflow output is the single sink's output, or an object keyed by sink id; an entry of
   * a function that is not a sink is left out (its output is not part of the default output). One
   * entry maps to its bare value ({@code merge.result} -> {@code .result}), several to an object of
   * them.
   */
  static Expr outputMapping(SourceDocument doc, JsonNode globalOutput, List<String> sinks) {
    if (globalOutput == null || !globalOutput.isObject() || globalOutput.isEmpty()) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    globalOutput
        .properties()
        .forEach(
            e -> {
              JsonNode value = e.getValue().path("value");
              String fn = value.path("function").asText(null);
              String param = value.path("parameter").asText(null);
              if (fn == null || param == null) {
                return;
              }
              if (fn.equals("INPUT")) {
                fields.put(e.getKey(), JqText.field("$workflow", param));
              } else if (sinks.size() == 1 && sinks.get(0).equals(fn)) {
                fields.put(e.getKey(), JqText.field("", param));
              } else if (sinks.contains(fn)) {
                fields.put(e.getKey(), JqText.field(JqText.field("", fn), param));
              }
            });
    if (fields.isEmpty()) {
      return null;
    }
    if (fields.size() == 1) {
      return new Expr(fields.values().iterator().next(), doc.locate(globalOutput));
    }
    StringBuilder jq = new StringBuilder("{");
    String sep = "";
    for (Map.Entry<String, String> f : fields.entrySet()) {
      jq.append(sep).append(JqText.string(f.getKey())).append(": ").append(f.getValue());
      sep = ", ";
    }
    return new Expr(jq.append('}').toString(), doc.locate(globalOutput));
  }
}

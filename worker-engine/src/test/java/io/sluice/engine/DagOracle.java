package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.testing.RandomDags;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential meaning of a DAG of task nodes, computed in topological order on one thread: a
 * root reads the workflow input, a node with one predecessor reads its output, a node with several
 * reads an object keyed by predecessor id; every node's function is {@link #value}. The workflow's
 * output is its only sink's output, or an object keyed by sink id. Property tests compare the
 * engine's run against this.
 */
final class DagOracle {
  final Map<String, JsonNode> inputs = new LinkedHashMap<>();
  final Map<String, JsonNode> outputs = new LinkedHashMap<>();
  final JsonNode output;

  DagOracle(WorkflowGraph g, JsonNode input) {
    Map<String, List<String>> preds = RandomDags.predecessors(g);
    for (String id : topologicalOrder(g, preds)) {
      List<String> from = preds.get(id);
      JsonNode in;
      if (from.isEmpty()) {
        in = input;
      } else if (from.size() == 1) {
        in = outputs.get(from.get(0));
      } else {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        from.forEach(p -> o.set(p, outputs.get(p)));
        in = o;
      }
      inputs.put(id, in);
      outputs.put(id, value(id, in));
    }
    List<String> sinks = RandomDags.sinks(g);
    if (sinks.size() == 1) {
      output = outputs.get(sinks.get(0));
    } else {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      sinks.forEach(s -> o.set(s, outputs.get(s)));
      output = o;
    }
  }

  /** Every node's function: a hash of its id and its input, small enough to stay an int. */
  static JsonNode value(String nodeId, JsonNode input) {
    long h = nodeId.hashCode() * 0x9E3779B97F4A7C15L + fold(input);
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
    return IntNode.valueOf((int) ((h ^ (h >>> 29)) & 0x3FFF_FFFF));
  }

  private static long fold(JsonNode n) {
    if (n == null) {
      return 17;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isObject()) {
      long sum = 0;
      for (var it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        sum += (e.getKey().hashCode() * 0x9E3779B1L) ^ fold(e.getValue());
      }
      return sum;
    }
    return n.toString().hashCode();
  }

  private static List<String> topologicalOrder(WorkflowGraph g, Map<String, List<String>> preds) {
    Map<String, Integer> missing = new HashMap<>();
    preds.forEach((id, p) -> missing.put(id, p.size()));
    Deque<String> ready = new ArrayDeque<>();
    g.nodes().keySet().stream().filter(id -> missing.get(id) == 0).forEach(ready::add);
    List<String> order = new java.util.ArrayList<>();
    while (!ready.isEmpty()) {
      String id = ready.poll();
      order.add(id);
      g.edges().stream()
          .filter(e -> e.from().equals(id))
          .forEach(
              e -> {
                if (missing.merge(e.to(), -1, Integer::sum) == 0) {
                  ready.add(e.to());
                }
              });
    }
    if (order.size() != g.nodes().size()) {
      throw new IllegalArgumentException("not a DAG: " + g.name());
    }
    return order;
  }
}

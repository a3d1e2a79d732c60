package io.sluice.engine.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.JqEvaluator;
import java.util.Map;

/**
 * A workflow's output from its sinks' results: one completed sink gives its result, several give an
 * object keyed by sink id (in definition order), none gives null; then the workflow's output
 * mapping. The same rule whether the sinks ran in one engine or on several workers.
 */
public final class WorkflowOutputs {
  private WorkflowOutputs() {}

  /**
   * Composes the output; throws {@link io.sluice.model.expr.ExpressionException} if the output
   * mapping fails.
   */
  public static JsonNode compose(WorkflowGraph g, Map<String, JsonNode> sinks, JsonNode input) {
    JsonNode result;
    if (sinks.isEmpty()) {
      result = NullNode.getInstance();
    } else if (sinks.size() == 1) {
      result = sinks.values().iterator().next();
    } else {
      ObjectNode many = JsonNodeFactory.instance.objectNode();
      for (String id : g.nodes().keySet()) {
        JsonNode v = sinks.get(id);
        if (v != null) {
          many.set(id, v);
        }
      }
      result = many;
    }
    if (g.output() != null) {
      result = JqEvaluator.shared().first(g.output(), result, Map.of("workflow", input));
    }
    return result;
  }
}

package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.engine.events.Correlator;
import io.sluice.engine.events.WaitKey;
import io.sluice.model.Expr;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import java.util.Map;

/**
 * An event wait of an instance of this engine, as its {@link EngineEvents} index holds it: enough
 * to test an event against it off the instance's thread (its key, its jq correlation with the
 * node's input and the workflow input, captured when the wait started).
 */
record LocalWait(
    String waitId,
    String instanceId,
    WaitKey key,
    Instance instance,
    int node,
    Expr correlation,
    JsonNode nodeInput,
    JsonNode workflowInput)
    implements Correlator.Wait {

  @Override
  public boolean accepts(CloudEvent event) {
    if (correlation == null) {
      return true;
    }
    try {
      return JqEvaluator.truthy(
          JqEvaluator.shared()
              .first(
                  correlation,
                  CloudEvents.asJson(event),
                  Map.of("input", nodeInput, "workflow", workflowInput)));
    } catch (ExpressionException e) {
      return false; // the instance's own test logs it when the event reaches it
    }
  }
}

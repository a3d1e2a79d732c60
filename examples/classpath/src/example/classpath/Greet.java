package example.classpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.JavaFunction;

/** A java function of one's own: greets {@code name}. Compiled apart, found via --classpath. */
public class Greet implements JavaFunction {
  @Override
  public JsonNode apply(JsonNode input, FunctionContext ctx) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("greeting", "Hello, " + input.path("name").asText("world") + "!")
        .put("node", ctx.nodeId());
  }
}

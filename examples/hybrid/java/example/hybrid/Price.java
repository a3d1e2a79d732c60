package example.hybrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.JavaFunction;

/**
 * The hybrid example's Java step, run in the worker's JVM ({@code runtime: java, class:
 * example.hybrid.Price}): prices an order's lines and passes the order on with its total.
 */
public final class Price implements JavaFunction {
  @Override
  public JsonNode apply(JsonNode order, FunctionContext ctx) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("orderId", order.path("orderId").asText());
    out.put("customer", order.path("customer").asText());
    ArrayNode lines = out.putArray("lines");
    long cents = 0;
    for (JsonNode item : order.path("items")) {
      long line = Math.round(item.path("price").asDouble() * 100) * item.path("quantity").asLong(1);
      cents += line;
      lines.addObject().put("sku", item.path("sku").asText()).put("cents", line);
    }
    out.put("totalCents", cents);
    out.put("pricedBy", "java on " + ctx.nodeId());
    return out;
  }
}

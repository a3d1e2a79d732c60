package io.sluice.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.JavaFunction;
import java.util.Map;

/** Functions every {@code java} runtime has, for examples and tests. */
final class BuiltinFunctions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private BuiltinFunctions() {}

  static void addTo(Map<String, JavaFunction> functions) {
    functions.put("sluice.identity", (in, ctx) -> in);
    functions.put("sluice.noop", (in, ctx) -> F.objectNode());
    functions.put("sluice.echo", (in, ctx) -> F.objectNode().set("input", in));
    functions.put("sluice.fail", BuiltinFunctions::fail);
    functions.put("sluice.context", BuiltinFunctions::context);
  }

  /** The call's context, keys included: to see (and test) what a function is told. */
  private static JsonNode context(JsonNode in, FunctionContext ctx) {
    return F.objectNode()
        .put("instanceId", ctx.instanceId())
        .put("nodeId", ctx.nodeId())
        .put("attempt", ctx.attempt())
        .put("idempotencyKey", ctx.idempotencyKey())
        .put("stepKey", ctx.stepKey());
  }

  /**
   * Always fails: with type {@code input.type} (default {@code FunctionFailed}), message {@code
   * input.message} and retryable flag {@code input.retryable} (default true).
   */
  private static JsonNode fail(JsonNode in, FunctionContext ctx) {
    ObjectNode none = F.objectNode();
    JsonNode args = in != null && in.isObject() ? in : none;
    String type = args.path("type").asText(FunctionException.FUNCTION_FAILED);
    String message =
        args.path("message")
            .asText(
                "sluice.fail failed on purpose at node '"
                    + ctx.nodeId()
                    + "' (attempt "
                    + ctx.attempt()
                    + ")");
    boolean retryable = args.path("retryable").asBoolean(true);
    throw new FunctionException(type, message, retryable);
  }
}

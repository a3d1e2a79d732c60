package io.sluice.runtime.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The ClientContext a synchronous invocation carries to the function ({@code context.clientContext}
 * in Node.js, {@code context.client_context} in Python, {@code getClientContext()} in Java): {@code
 * {"custom": {"idempotencyKey", "instanceId", "nodeId", "attempt"}}}, all strings (the Java
 * runtime's {@code custom} is a {@code Map<String, String>}).
 *
 * <p>{@code idempotencyKey} and {@code stepKey} are the call's {@link io.sluice.runtime.CallKey}:
 * {@code idempotencyKey} is new for each attempt (the same for a re-delivery of one attempt),
 * {@code stepKey} is the same for every attempt of one step of one instance (an item of a map or a
 * round of a loop is its own step), so a function that must act once whatever the retries
 * de-duplicates on {@code stepKey} and one that must act once per attempt on {@code
 * idempotencyKey}. Both are at most {@value io.sluice.runtime.CallKey#MAX_LENGTH} characters. When
 * tracing is on, {@code custom.traceparent} is the W3C trace context of the node's span. Lambda
 * takes at most 3,583 bytes of base64; when long ids would pass that, the ids are left out and the
 * keys, attempt and trace context kept.
 */
final class ClientContexts {
  /** Lambda's limit on the base64-encoded ClientContext. */
  static final int MAX_BASE64 = 3583;

  private ClientContexts() {}

  /** The base64 ClientContext of {@code inv}. */
  static String encode(Invocation inv) {
    ObjectNode root = LambdaFunctionRuntime.JSON.createObjectNode();
    ObjectNode custom = root.putObject("custom");
    custom.put("idempotencyKey", inv.idempotencyKey());
    custom.put("stepKey", inv.stepKey());
    custom.put("instanceId", inv.instanceId());
    custom.put("nodeId", inv.nodeId());
    custom.put("attempt", Integer.toString(inv.attempt()));
    String traceparent = io.sluice.runtime.trace.Tracing.currentTraceparent(); // null: tracing off
    if (traceparent != null) {
      custom.put(io.sluice.runtime.trace.Tracing.TRACEPARENT, traceparent);
    }
    String full = base64(root);
    if (full.length() <= MAX_BASE64) {
      return full;
    }
    ObjectNode small = LambdaFunctionRuntime.JSON.createObjectNode();
    small
        .putObject("custom")
        .put("idempotencyKey", inv.idempotencyKey())
        .put("stepKey", inv.stepKey())
        .put("attempt", Integer.toString(inv.attempt()));
    if (traceparent != null) {
      ((ObjectNode) small.get("custom"))
          .put(io.sluice.runtime.trace.Tracing.TRACEPARENT, traceparent);
    }
    return base64(small);
  }

  private static String base64(ObjectNode n) {
    return Base64.getEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }
}

package io.sluice.runtime.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.Invocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The ClientContext a synchronous invocation carries to the function ({@code context.clientContext}
 * in Node.js, {@code context.client_context} in Python, {@code getClientContext()} in Java): {@code
 * {"custom": {"idempotencyKey", "instanceId", "nodeId", "attempt"}}}, all strings (the Java
 * runtime's {@code custom} is a {@code Map<String, String>}).
 *
 * <p>{@code idempotencyKey} is {@code instanceId/nodeId}: the same for every attempt of one step of
 * one instance (an item of a map or an iteration of a loop runs in its own child instance, so it
 * has its own key), so a function can tell a retried attempt, whose earlier attempt may have done
 * its work, from a new step. The engine has no trace context yet, so none is sent. Lambda takes at
 * most 3,583 bytes of base64; when long ids would pass that, the key is sent as {@code sha256:HEX}
 * of itself and the ids are left out.
 */
final class ClientContexts {
  /** Lambda's limit on the base64-encoded ClientContext. */
  static final int MAX_BASE64 = 3583;

  private ClientContexts() {}

  /** The idempotency key of an invocation: one step of one instance, across its attempts. */
  static String idempotencyKey(Invocation inv) {
    return inv.instanceId() + "/" + inv.nodeId();
  }

  /** The base64 ClientContext of {@code inv}. */
  static String encode(Invocation inv) {
    ObjectNode root = LambdaFunctionRuntime.JSON.createObjectNode();
    ObjectNode custom = root.putObject("custom");
    String key = idempotencyKey(inv);
    custom.put("idempotencyKey", key);
    custom.put("instanceId", inv.instanceId());
    custom.put("nodeId", inv.nodeId());
    custom.put("attempt", Integer.toString(inv.attempt()));
    String full = base64(root);
    if (full.length() <= MAX_BASE64) {
      return full;
    }
    ObjectNode small = LambdaFunctionRuntime.JSON.createObjectNode();
    small
        .putObject("custom")
        .put("idempotencyKey", "sha256:" + sha256(key))
        .put("attempt", Integer.toString(inv.attempt()));
    return base64(small);
  }

  private static String base64(ObjectNode n) {
    return Base64.getEncoder().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

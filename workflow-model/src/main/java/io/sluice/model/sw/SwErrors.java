package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Serverless Workflow errors (RFC 7807 objects: {@code type}, {@code status}, {@code title}, {@code
 * detail}, {@code instance}) on an engine whose errors are a type and a message. A raised error
 * travels as its type (what Sluice catchers match) and a message ending in the whole object as JSON
 * marked with {@code "__sw":1}; {@link #decode} and the jq of {@link #fromCaught} read it back.
 * Engine errors map to the DSL's standard types: {@code Timeout} to {@code timeout} (408), {@code
 * ExpressionFailed} to {@code expression} (400), {@code Http*} and {@code ConnectionFailed} to
 * {@code communication} (the HTTP status when the message has one, else 500, the reference's
 * default), others to {@code runtime} (500).
 */
public final class SwErrors {
  /** The prefix of the DSL's standard error types. */
  public static final String TYPES = "https://serverlessworkflow.io/spec/1.0.0/errors/";

  static final String MARKER = "{\"__sw\":1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SwErrors() {}

  /** The message of a raised error: its object as JSON, marked. */
  static String encode(JsonNode error) {
    ObjectNode o = JSON.createObjectNode();
    o.put("__sw", 1);
    o.setAll((ObjectNode) error);
    return o.toString();
  }

  /**
   * The error object of a failed instance or node: the raised one when {@code message} carries it,
   * else the standard object for engine error {@code type}; null when there is no error.
   */
  public static JsonNode decode(String type, String message) {
    if (type == null && message == null) {
      return null;
    }
    String m = message == null ? "" : message;
    int at = m.lastIndexOf(MARKER);
    if (at >= 0) {
      try {
        JsonNode n = JSON.readTree(m.substring(at));
        if (n instanceof ObjectNode o) {
          o.remove("__sw");
          return o;
        }
      } catch (java.io.IOException e) {
        // not ours after all: fall through to the standard mapping
      }
    }
    ObjectNode o = JSON.createObjectNode();
    String[] kind = standard(type == null ? "" : type, m);
    o.put("type", TYPES + kind[0]);
    o.put("status", Integer.parseInt(kind[1]));
    o.put("title", type);
    o.put("detail", m);
    return o;
  }

  private static String[] standard(String type, String message) {
    if (type.equals("Timeout")) {
      return new String[] {"timeout", "408"};
    }
    if (type.equals("ExpressionFailed")) {
      return new String[] {"expression", "400"};
    }
    if (type.startsWith("Http") || type.equals("ConnectionFailed")) {
      java.util.regex.Matcher s =
          java.util.regex.Pattern.compile("answered HTTP (\\d{3})").matcher(message);
      return new String[] {"communication", s.find() ? s.group(1) : "500"};
    }
    return new String[] {"runtime", "500"};
  }

  /**
   * jq over a caught error's payload ({@code {error, cause, node, input}}) giving the DSL error
   * object, as {@link #decode} does; {@code instance} defaults to {@code pointer}.
   */
  static String fromCaught(String pointer) {
    // a call wrapped by the context threading repeats its node id ("n: n: msg"): said once
    return "((.cause // \"\") as $c0 | ($c0 | split(\": \")) as $s"
        + " | (if ($s | length) > 2 and $s[0] == $s[1] then ($s[1:] | join(\": \")) else $c0 end)"
        + " as $c | (.error // \"\") as $t"
        + " | ($c | rindex(\"{\\\"__sw\\\":1\")) as $p"
        + " | if $p != null then ($c[$p:] | fromjson | del(.__sw))"
        + " else (if $t == \"Timeout\" then [\"timeout\", 408]"
        + " elif $t == \"ExpressionFailed\" then [\"expression\", 400]"
        + " elif ($t | startswith(\"Http\")) or $t == \"ConnectionFailed\" then"
        + " [\"communication\", (($c | capture(\"answered HTTP (?<s>[0-9]{3})\") | .s | tonumber)"
        + " // 500)]"
        + " else [\"runtime\", 500] end) as $k"
        + " | {type: (\""
        + TYPES
        + "\" + $k[0]), status: $k[1], title: $t, detail: $c, instance: "
        + SwExpr.quote(pointer)
        + "} end)";
  }

  /**
   * jq that fails with the error object {@code errorJq} (a dynamic raise, a re-raise). The text
   * goes through {@code [tojson] | join("")}: jackson-jq 1.6 loses the message of {@code error}
   * given {@code tojson}'s string directly ("N/A").
   */
  static String raise(String errorJq) {
    return "error((" + errorJq + ") | {__sw: 1} + . | [tojson] | join(\"\"))";
  }
}

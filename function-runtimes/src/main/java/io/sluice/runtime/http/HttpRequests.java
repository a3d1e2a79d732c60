package io.sluice.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.model.expr.ExpressionException;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the request of one call from a function's {@link HttpSpec}: URL, method and headers
 * (literal, or jq over the input with {@code $instance}, {@code $node}, {@code $attempt}, {@code
 * $idempotencyKey} and {@code $stepKey}), the {@code Idempotency-Key} header, the body (the input
 * as JSON bytes, or a CloudEvent carrying it), the token, the HTTP version and the time left until
 * the call's deadline. Runs on the caller's thread; does no I/O except re-reading a changed token
 * file (at most once a second).
 */
final class HttpRequests {
  static final String SPEC_VERSION = "1.0";
  static final String JSON_TYPE = "application/json";
  static final String CE_JSON_TYPE = "application/cloudevents+json";

  /**
   * The header that carries {@link Invocation#idempotencyKey()}, unless the function's {@code
   * headers} setting gives one of its own.
   */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Pattern METHOD = Pattern.compile("[A-Z]+");

  private final ObjectMapper json;

  HttpRequests(ObjectMapper json) {
    this.json = json;
  }

  /** What a call is about to send, for its messages. */
  record Built(HttpRequest request, URI url, String method) {}

  /**
   * The request for {@code inv}; throws {@link FunctionException} when an expression fails ({@code
   * ExpressionFailed}) or the token cannot be read ({@code BadConfiguration}). {@code now} is the
   * runtime scheduler's clock.
   */
  Built build(HttpSpec spec, Invocation inv, long now, long nanosLeft) {
    JsonNode input = inv.input() == null ? NullNode.getInstance() : inv.input();
    Map<String, JsonNode> vars =
        spec.hasExpressions
            ? Map.of(
                "instance", TextNode.valueOf(inv.instanceId()),
                "node", TextNode.valueOf(inv.nodeId()),
                "attempt", IntNode.valueOf(inv.attempt()),
                "idempotencyKey", TextNode.valueOf(inv.idempotencyKey()),
                "stepKey", TextNode.valueOf(inv.stepKey()))
            : Map.of();
    URI url = spec.fixedUri != null ? spec.fixedUri : url(spec, inv, input, vars);
    String method = method(spec, inv, input, vars);
    HttpRequest.Builder b = HttpRequest.newBuilder(url).version(spec.version);
    if (nanosLeft != Long.MAX_VALUE) {
      b.timeout(Duration.ofNanos(Math.max(1_000_000, nanosLeft)));
    }
    boolean body = !method.equals("GET") && !method.equals("HEAD");
    switch (spec.format) {
      case JSON -> {
        b.header("Accept", JSON_TYPE);
        if (body) {
          b.header("Content-Type", JSON_TYPE);
        }
        b.method(method, body ? publisher(input) : HttpRequest.BodyPublishers.noBody());
      }
      case CLOUDEVENTS_BINARY -> {
        b.header("Content-Type", JSON_TYPE)
            .header("ce-specversion", SPEC_VERSION)
            .header("ce-id", eventId(inv))
            .header("ce-source", source(spec, inv))
            .header("ce-type", type(spec))
            .header("ce-subject", subject(inv))
            .header("ce-time", now())
            .header("ce-attempt", Integer.toString(inv.attempt()));
        b.POST(publisher(input));
      }
      case CLOUDEVENTS_STRUCTURED -> {
        ObjectNode ev = json.createObjectNode();
        ev.put("specversion", SPEC_VERSION)
            .put("id", eventId(inv))
            .put("source", source(spec, inv))
            .put("type", type(spec))
            .put("subject", subject(inv))
            .put("time", now())
            .put("attempt", inv.attempt())
            .put("datacontenttype", JSON_TYPE)
            .set("data", input);
        b.header("Content-Type", CE_JSON_TYPE + "; charset=utf-8");
        b.POST(publisher(ev));
      }
    }
    for (HttpSpec.Header h : spec.headers) {
      String v = value(spec, h.value(), "headers." + h.name(), inv, input, vars);
      if (v == null) {
        continue;
      }
      try {
        b.header(h.name(), v);
      } catch (IllegalArgumentException e) { // a jq value with a line break, say
        throw expressionFailed(
            spec,
            inv,
            "headers."
                + h.name()
                + ": jq expression "
                + h.value()
                + " gave a value that is not"
                + " allowed in a header (control characters?)");
      }
    }
    if (!spec.setsIdempotencyKey) {
      b.header(IDEMPOTENCY_KEY, inv.idempotencyKey());
    }
    String traceparent = io.sluice.runtime.trace.Tracing.currentTraceparent(); // null: tracing off
    if (traceparent != null && !setsHeader(spec, io.sluice.runtime.trace.Tracing.TRACEPARENT)) {
      b.header(io.sluice.runtime.trace.Tracing.TRACEPARENT, traceparent);
    }
    if (spec.token != null) {
      String token = spec.token.token(now);
      b.header(
          spec.authHeader, spec.authHeader.equals("Authorization") ? "Bearer " + token : token);
    }
    try {
      return new Built(b.build(), url, method);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new FunctionException(
          FunctionException.BAD_CONFIGURATION,
          where(spec, inv, method, url) + ": the request cannot be built: " + e.getMessage(),
          false);
    }
  }

  /** Whether the function's {@code headers} setting gives header {@code name} itself. */
  private static boolean setsHeader(HttpSpec spec, String name) {
    for (HttpSpec.Header h : spec.headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** {@code <instance>/<node>/<attempt>}: the same for a call's redelivery, new per attempt. */
  static String eventId(Invocation inv) {
    return inv.instanceId() + "/" + inv.nodeId() + "/" + inv.attempt();
  }

  /** {@code <instance>/<node>}: the same for every attempt of a node. */
  static String subject(Invocation inv) {
    return inv.instanceId() + "/" + inv.nodeId();
  }

  static String source(HttpSpec spec, Invocation inv) {
    return spec.eventSource != null
        ? spec.eventSource
        : "sluice/" + inv.function().name() + "/" + inv.nodeId();
  }

  private static String type(HttpSpec spec) {
    return spec.eventType != null ? spec.eventType : HttpSpec.DEFAULT_EVENT_TYPE;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private HttpRequest.BodyPublisher publisher(JsonNode value) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new FunctionException(
          FunctionException.BAD_CONFIGURATION, "the input cannot be written as JSON: " + e, false);
    }
  }

  private static URI url(
      HttpSpec spec, Invocation inv, JsonNode input, Map<String, JsonNode> vars) {
    String text = value(spec, spec.url, "url", inv, input, vars);
    if (text == null) {
      throw expressionFailed(spec, inv, "url: jq expression " + spec.url + " gave null");
    }
    try {
      return HttpSpec.withPath(spec.checkUrl(text), spec.pathSuffix);
    } catch (IllegalArgumentException e) {
      throw expressionFailed(
          spec, inv, "url: jq expression " + spec.url + " gave a value that " + e.getMessage());
    }
  }

  private static String method(
      HttpSpec spec, Invocation inv, JsonNode input, Map<String, JsonNode> vars) {
    if (spec.method == null) {
      return "POST";
    }
    if (spec.method.isLiteral()) {
      return spec.method.literal();
    }
    String m = value(spec, spec.method, "method", inv, input, vars);
    if (m == null || !METHOD.matcher(m).matches()) {
      throw expressionFailed(
          spec,
          inv,
          "method: jq expression "
              + spec.method
              + " gave "
              + (m == null ? "null" : "'" + m + "'")
              + ", not an HTTP method in capitals such as POST");
    }
    return m;
  }

  private static String value(
      HttpSpec spec,
      Template t,
      String setting,
      Invocation inv,
      JsonNode input,
      Map<String, JsonNode> vars) {
    try {
      return t.value(input, vars);
    } catch (ExpressionException e) {
      throw expressionFailed(spec, inv, setting + ": " + e.getMessage());
    }
  }

  private static FunctionException expressionFailed(HttpSpec spec, Invocation inv, String what) {
    return new FunctionException(
        HttpErrors.EXPRESSION_FAILED,
        "http function '" + spec.function + "' at node '" + inv.nodeId() + "': setting " + what,
        false);
  }

  static String where(HttpSpec spec, Invocation inv, String method, URI url) {
    return "http function '"
        + spec.function
        + "' at node '"
        + inv.nodeId()
        + "' ("
        + method
        + " "
        + HttpErrors.safe(url)
        + ")";
  }
}

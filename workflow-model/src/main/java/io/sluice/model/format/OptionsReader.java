package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.Hints;
import io.sluice.model.Join;
import io.sluice.model.NodeOptions;
import io.sluice.model.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the keys every node may carry ({@code input, output, retry, catch, timeout, ...}). */
final class OptionsReader {
  /** Backoff before the first retry when a definition does not say. */
  static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

  static final int DEFAULT_MAX_ATTEMPTS = 3;

  private static final Set<String> RETRY_KEYS =
      Set.of(
          "maxAttempts",
          "backoff",
          "initialBackoff",
          "multiplier",
          "maxBackoff",
          "jitter",
          "retryOn");
  private static final Set<String> CATCH_KEYS = Set.of("errors", "next");
  private static final Set<String> HINT_KEYS =
      Set.of("computeTime", "computeMs", "outputBytes", "memory", "cores");

  private final FieldReader f;

  OptionsReader(FieldReader f) {
    this.f = f;
  }

  /** Reads the options of node object {@code n}; CATCH edges are added to {@code edges}. */
  NodeOptions read(JsonNode n, String id, List<Edge> edges) {
    return read(n, id, id, edges);
  }

  /**
   * As {@link #read(JsonNode, String, List)}, where {@code id} names the node in problems ({@code
   * outer/inner} in an inner workflow) and {@code nodeId} is its id in its own graph, the source of
   * its CATCH edges.
   */
  NodeOptions read(JsonNode n, String id, String nodeId, List<Edge> edges) {
    Expr input = f.expr(n, "input", id, false);
    Expr output = f.expr(n, "output", id, false);
    Duration timeout = f.duration(n, "timeout", id);
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      f.problem(n, "timeout", id, "'timeout' must be positive, got " + timeout);
      timeout = null;
    }
    return new NodeOptions(
        input,
        output,
        retry(n, id),
        catchers(n, id, nodeId, edges),
        timeout,
        join(n, id),
        hints(n, id),
        f.doc().locate(n));
  }

  private RetryPolicy retry(JsonNode n, String id) {
    JsonNode r = n.get("retry");
    if (r == null || r.isNull()) {
      return RetryPolicy.NONE;
    }
    if (r.isIntegralNumber()) {
      Integer max = f.count(n, "retry", id, 1);
      return max == null ? RetryPolicy.NONE : RetryPolicy.of(max, DEFAULT_BACKOFF);
    }
    if (!f.isObject(r, n, "retry", id, "a number of attempts or {maxAttempts, backoff, ...}")) {
      return RetryPolicy.NONE;
    }
    f.checkKeys(r, RETRY_KEYS, "retry", id);
    Integer max = f.count(r, "maxAttempts", id, 1);
    Duration initial = f.duration(r, "initialBackoff", id);
    Duration backoff = f.duration(r, "backoff", id);
    if (initial != null && backoff != null) {
      f.problem(r, "backoff", id, "write 'backoff' or 'initialBackoff', not both");
    }
    initial = initial != null ? initial : backoff != null ? backoff : DEFAULT_BACKOFF;
    Double multiplier = f.number(r, "multiplier", id);
    Duration maxBackoff = f.duration(r, "maxBackoff", id);
    Double jitter = f.number(r, "jitter", id);
    List<String> retryOn = f.strings(r, "retryOn", id);
    try {
      return new RetryPolicy(
          max == null ? DEFAULT_MAX_ATTEMPTS : max,
          initial,
          multiplier == null ? 2.0 : multiplier,
          maxBackoff == null ? initial.multipliedBy(64) : maxBackoff,
          jitter == null ? 0.0 : jitter,
          retryOn);
    } catch (IllegalArgumentException e) {
      f.problem(n, "retry", id, e.getMessage());
      return RetryPolicy.NONE;
    }
  }

  private List<Catcher> catchers(JsonNode n, String id, String nodeId, List<Edge> edges) {
    JsonNode c = n.get("catch");
    List<Catcher> out = new ArrayList<>();
    if (c == null || c.isNull()) {
      return out;
    }
    if (!c.isArray()) {
      f.problem(n, "catch", id, "'catch' must be a list of {errors: [types], next: id}");
      return out;
    }
    for (JsonNode item : c) {
      if (!f.isObject(item, n, "catch", id, "a list of {errors: [types], next: id}")) {
        continue;
      }
      f.checkKeys(item, CATCH_KEYS, "a catch entry", id);
      List<String> errors = f.strings(item, "errors", id);
      if (item.get("next") == null) {
        f.problem(item, null, id, "catch entry needs 'next': the node that handles the error");
        continue;
      }
      Target t = Target.read(f, item.get("next"), item, "next", id);
      if (t != null) {
        out.add(new Catcher(errors, t.to(), f.doc().locate(item)));
        edges.add(t.edge(nodeId, Edge.Kind.CATCH));
      }
    }
    return out;
  }

  private Join join(JsonNode n, String id) {
    JsonNode j = n.get("join");
    if (j == null || j.isNull()) {
      return Join.ALL;
    }
    if (j.isTextual() && j.asText().equals("all")) {
      return Join.ALL;
    }
    if (j.isTextual() && j.asText().equals("any")) {
      return Join.ANY;
    }
    if (j.canConvertToExactIntegral() && j.asLong() >= 1 && j.asLong() < Integer.MAX_VALUE) {
      return new Join(j.asInt());
    }
    f.problem(n, "join", id, "'join' must be all, any or a number >= 1, got " + j);
    return Join.ALL;
  }

  private Hints hints(JsonNode n, String id) {
    JsonNode h = n.get("hints");
    if (h == null || h.isNull()) {
      return Hints.NONE;
    }
    if (!f.isObject(h, n, "hints", id, "an object {computeTime, outputBytes, memory, cores}")) {
      return Hints.NONE;
    }
    f.checkKeys(h, HINT_KEYS, "hints", id);
    Duration compute = f.duration(h, "computeTime", id);
    Double ms = f.number(h, "computeMs", id);
    if (compute != null && ms != null) {
      f.problem(h, "computeMs", id, "write 'computeTime' or 'computeMs', not both");
    }
    if (compute == null && ms != null) {
      compute = Duration.ofNanos(Math.round(ms * 1_000_000));
    }
    Long outputBytes = f.bytes(h, "outputBytes", id);
    Long memory = f.bytes(h, "memory", id);
    Double cores = f.number(h, "cores", id);
    try {
      return new Hints(
          compute == null ? Duration.ZERO : compute,
          outputBytes == null ? 0 : outputBytes,
          memory == null ? 0 : memory,
          cores == null ? 0 : cores);
    } catch (IllegalArgumentException e) {
      f.problem(n, "hints", id, e.getMessage());
      return Hints.NONE;
    }
  }
}

package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ASL error names and Sluice error types, both ways, and Retry as a {@link RetryPolicy}. A caught
 * error reaches the handler as {@code {Error, Cause}} with the ASL name.
 */
final class AslErrors {
  /** ASL name -> Sluice type; names not listed are the same in both. */
  static final Map<String, String> TO_SLUICE =
      Map.of(
          "States.Timeout", "Timeout",
          "States.Runtime", "ExpressionFailed",
          "States.NoChoiceMatched", "NoChoiceMatched",
          "States.ResultPathMatchFailure", "ExpressionFailed",
          "States.ParameterPathFailure", "ExpressionFailed",
          "States.IntrinsicFailure", "ExpressionFailed");

  /** jq: the ASL name of the Sluice error type {@code $e.error}. */
  static final String TO_ASL =
      "({\"Timeout\": \"States.Timeout\", \"ExpressionFailed\": \"States.Runtime\","
          + " \"NoChoiceMatched\": \"States.NoChoiceMatched\"}[$e.error] // $e.error)";

  private AslErrors() {}

  /**
   * ErrorEquals as Sluice error types; {@code ["*"]} for States.ALL and States.TaskFailed (which in
   * Sluice also match Timeout and ExpressionFailed: docs/importers.md).
   */
  static List<String> types(JsonNode errorEquals) {
    if (errorEquals == null || !errorEquals.isArray() || errorEquals.isEmpty()) {
      throw new AslException("ErrorEquals must be a non-empty list of error names");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : errorEquals) {
      String n = e.asText();
      if (n.equals("States.ALL") || n.equals("States.TaskFailed")) {
        return List.of("*");
      }
      out.add(TO_SLUICE.getOrDefault(n, n));
    }
    return new ArrayList<>(out);
  }

  /** The retriers of a state as one policy; retriers with different settings are refused. */
  static RetryPolicy retry(JsonNode retriers) {
    if (retriers == null) {
      return RetryPolicy.NONE;
    }
    if (!retriers.isArray()) {
      throw new AslException("Retry must be a list of retriers");
    }
    RetryPolicy merged = null;
    Set<String> errors = new LinkedHashSet<>();
    boolean all = false;
    for (JsonNode r : retriers) {
      for (var it = r.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!List.of(
                "ErrorEquals",
                "IntervalSeconds",
                "MaxAttempts",
                "BackoffRate",
                "MaxDelaySeconds",
                "JitterStrategy",
                "Comment")
            .contains(f)) {
          throw new AslException("Retry field '" + f + "' not supported");
        }
      }
      List<String> types = types(r.get("ErrorEquals"));
      all |= types.contains("*");
      errors.addAll(types);
      int max = r.path("MaxAttempts").asInt(3);
      double interval = r.path("IntervalSeconds").asDouble(1);
      double rate = r.path("BackoffRate").asDouble(2.0);
      if (max < 0 || interval <= 0 || rate < 1.0) {
        throw new AslException(
            "Retry needs MaxAttempts >= 0, IntervalSeconds > 0 and BackoffRate >= 1.0");
      }
      Duration cap =
          r.has("MaxDelaySeconds")
              ? Duration.ofMillis((long) (r.get("MaxDelaySeconds").asDouble() * 1000))
              : Duration.ZERO;
      String jitter = r.path("JitterStrategy").asText("NONE");
      if (!jitter.equals("NONE") && !jitter.equals("FULL")) {
        throw new AslException("JitterStrategy must be FULL or NONE, got " + jitter);
      }
      RetryPolicy p =
          new RetryPolicy(
              max + 1,
              Duration.ofMillis((long) (interval * 1000)),
              rate,
              cap,
              jitter.equals("FULL") ? 1.0 : 0.0,
              List.of());
      if (merged != null && !merged.equals(p)) {
        throw new AslException(
            "several retriers with different settings not supported (Sluice has one retry"
                + " policy per node)");
      }
      merged = p;
    }
    if (merged == null || merged.maxAttempts() == 1) {
      return RetryPolicy.NONE;
    }
    return new RetryPolicy(
        merged.maxAttempts(),
        merged.initialBackoff(),
        merged.multiplier(),
        merged.maxBackoff(),
        merged.jitter(),
        all ? List.of() : List.copyOf(errors));
  }
}

package io.sluice.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a function's settings. Every reader throws {@link IllegalArgumentException} whose message
 * names the function, where it was declared, the setting and what to write instead.
 */
public final class Settings {

  private Settings() {}

  /** {@code function 'name' (file:line)} for messages. */
  public static String describe(FunctionDef f) {
    return "function '" + f.name() + "' (" + f.location() + ")";
  }

  /**
   * The failure of a call whose function's settings a reader refused: {@link
   * FunctionException#BAD_CONFIGURATION}, not retryable, with the reader's message.
   */
  public static FunctionException badConfiguration(IllegalArgumentException e) {
    return new FunctionException(FunctionException.BAD_CONFIGURATION, e.getMessage(), false, e);
  }

  public static IllegalArgumentException bad(FunctionDef f, String key, String problem) {
    return new IllegalArgumentException(describe(f) + ": setting '" + key + "' " + problem);
  }

  /** A non-negative whole number, or {@code fallback} when absent. */
  public static long nonNegativeLong(FunctionDef f, String key, long fallback) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
      throw bad(f, key, "must be a whole number >= 0, got " + v);
    }
    return v.asLong();
  }

  /** A non-negative number (fractions allowed), or {@code fallback} when absent. */
  public static double nonNegativeNumber(FunctionDef f, String key, double fallback) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
      throw bad(f, key, "must be a number >= 0, got " + v);
    }
    return v.asDouble();
  }

  /** A boolean, or {@code fallback} when absent. */
  public static boolean bool(FunctionDef f, String key, boolean fallback) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw bad(f, key, "must be true or false, got " + v);
    }
    return v.booleanValue();
  }

  /** A non-blank string, or {@code null} when absent. */
  public static String text(FunctionDef f, String key) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw bad(f, key, "must be a non-empty string, got " + v);
    }
    return v.asText();
  }

  /**
   * The {@code env} setting, a map of variable names to strings or numbers, in the order written;
   * empty when absent. A name in {@code reserved} is refused with its reason (its value there).
   */
  public static Map<String, String> env(FunctionDef f, Map<String, String> reserved) {
    JsonNode e = f.settings().get("env");
    if (e == null || e.isNull()) {
      return Map.of();
    }
    if (!e.isObject()) {
      throw bad(f, "env", "must be a map of variable names to values, got " + e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : e.properties()) {
      if (!v.getValue().isValueNode() || v.getValue().isNull()) {
        throw bad(f, "env", "value of " + v.getKey() + " must be a string or number");
      }
      String why = reserved.get(v.getKey());
      if (why != null) {
        throw bad(f, "env", "must not set " + v.getKey() + ": " + why);
      }
      env.put(v.getKey(), v.getValue().asText());
    }
    return env;
  }

  /**
   * A duration written {@code 250ms}, {@code 5s}, {@code 1.5m}, {@code 1h} or ISO-8601 ({@code
   * PT5S}), or {@code null} when absent.
   */
  public static Duration duration(FunctionDef f, String key) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    Duration d = v.isTextual() ? parseDuration(v.asText()) : null;
    if (d == null || d.isNegative()) {
      throw bad(f, key, "must be a duration such as 250ms, 5s, 2m or PT5S, got " + v);
    }
    return d;
  }

  /** A duration as every Sluice file writes it (model.format.Durations), or null. */
  static Duration parseDuration(String text) {
    try {
      return io.sluice.model.format.Durations.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }
}

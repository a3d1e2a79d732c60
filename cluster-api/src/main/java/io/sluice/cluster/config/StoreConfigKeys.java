package io.sluice.cluster.config;

import io.sluice.model.format.ByteSizes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Turns configuration keys (as in cluster-config's {@code store:} section) into a builder. */
final class StoreConfigKeys {
  static final Set<String> KEYS =
      Set.of(
          "mode",
          "budget",
          "slots",
          "granted-memory-per-slot",
          "reclaim-ratio",
          "chunk-size",
          "inline-threshold",
          "max-value-size",
          "ttl",
          "redis-uri",
          "redis-timeout",
          "peer-push-max",
          "key-prefix");

  private StoreConfigKeys() {}

  static StoreConfig.Builder apply(StoreConfig.Builder b, Map<String, String> keys) {
    for (String k : keys.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "unknown store config key '" + k + "'; known keys: " + String.join(", ", KEYS));
      }
    }
    String v;
    if ((v = keys.get("mode")) != null) b.mode(StoreMode.parse(v));
    if ((v = keys.get("budget")) != null) b.budget(ByteSizes.parse(v));
    if (keys.containsKey("slots") || keys.containsKey("granted-memory-per-slot")) {
      b.reclaimable(
          new ReclaimableMemory(
              Integer.parseInt(keys.getOrDefault("slots", "0").trim()),
              ByteSizes.parse(keys.getOrDefault("granted-memory-per-slot", "0")),
              Double.parseDouble(keys.getOrDefault("reclaim-ratio", "0.5").trim())));
    }
    if ((v = keys.get("chunk-size")) != null) b.chunkSize(ByteSizes.parse(v));
    if ((v = keys.get("inline-threshold")) != null) b.inlineThreshold(ByteSizes.parse(v));
    if ((v = keys.get("max-value-size")) != null) b.maxValueSize(ByteSizes.parse(v));
    if ((v = keys.get("ttl")) != null) b.ttl(duration("ttl", v));
    if ((v = keys.get("redis-uri")) != null && !v.isBlank()) b.redisUri(URI.create(v.trim()));
    if ((v = keys.get("redis-timeout")) != null) b.redisTimeout(duration("redis-timeout", v));
    if ((v = keys.get("peer-push-max")) != null) b.peerPushMaxBytes(ByteSizes.parse(v));
    if ((v = keys.get("key-prefix")) != null) b.keyPrefix(v.trim());
    return b;
  }

  /** A duration as every Sluice file writes it ({@code 30s}, {@code 250ms}, {@code PT1H}). */
  static Duration duration(String key, String text) {
    try {
      return io.sluice.model.format.Durations.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "store config " + key + " = '" + text + "' is not a duration; write e.g. 30s, 2h or PT1H",
          e);
    }
  }
}

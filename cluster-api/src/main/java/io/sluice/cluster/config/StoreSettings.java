package io.sluice.cluster.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's FaaStore settings (the {@code store:} section). {@link #toStoreKeys()} gives them
 * in the key names FaaStore's own configuration reads.
 *
 * @param mode memory, redis or tiered
 * @param memoryBudgetBytes memory each worker's store may hold, in bytes
 * @param inlineThresholdBytes values of at most this many bytes travel inside events
 * @param redis the Redis server, required for mode redis
 */
public record StoreSettings(
    String mode, long memoryBudgetBytes, long inlineThresholdBytes, Optional<URI> redis) {
  public static final String[] MODES = {"memory", "redis", "tiered"};
  public static final StoreSettings DEFAULT =
      new StoreSettings("memory", 256L * 1024 * 1024, 16L * 1024, Optional.empty());

  public StoreSettings {
    mode = Objects.requireNonNull(mode, "store mode").trim().toLowerCase(Locale.ROOT);
    if (!java.util.List.of(MODES).contains(mode)) {
      throw new IllegalArgumentException(
          "store mode must be one of memory, redis, tiered; got '" + mode + "'");
    }
    if (memoryBudgetBytes <= 0) {
      throw new IllegalArgumentException("store memoryBudget must be positive");
    }
    if (inlineThresholdBytes < 0) {
      throw new IllegalArgumentException("store inlineThreshold must not be negative");
    }
    redis = Objects.requireNonNull(redis, "store redis");
    redis.ifPresent(StoreSettings::checkRedisUri);
    if (mode.equals("redis") && redis.isEmpty()) {
      throw new IllegalArgumentException("store mode redis needs 'redis: redis://HOST:PORT'");
    }
  }

  static void checkRedisUri(URI uri) {
    boolean scheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
    if (!scheme || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "store redis must look like redis://HOST:PORT, got '" + uri + "'");
    }
  }

  /** The settings under FaaStore's configuration key names, sizes in bytes. */
  public Map<String, String> toStoreKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("mode", mode);
    keys.put("budget", Long.toString(memoryBudgetBytes));
    keys.put("inline-threshold", Long.toString(inlineThresholdBytes));
    redis.ifPresent(uri -> keys.put("redis-uri", uri.toString()));
    return keys;
  }
}

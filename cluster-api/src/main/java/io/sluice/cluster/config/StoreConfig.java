package io.sluice.cluster.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How FaaStore keeps intermediate data, checked when built. Build with {@link #builder()} or from
 * configuration keys with {@link #fromMap(Map)}; docs/faastore.md lists the keys.
 *
 * @param mode memory, redis or tiered
 * @param fixedBudgetBytes memory budget in bytes; 0 to derive it from {@code reclaimable}
 * @param reclaimable FaaSFlow's reclaimable-memory budget, used when no fixed budget is set
 * @param chunkSize Redis values above this many bytes are split into chunks of this size
 * @param inlineThreshold values of at most this many bytes travel inside the event, not the store
 * @param maxValueSize the largest value a store accepts
 * @param ttl how long a value lives after it is written when its instance never ends
 * @param redisUri the Redis server, required for mode redis and optional (spill, large values) for
 *     tiered
 * @param redisTimeout bound on every Redis command and on connecting
 * @param peerPushMaxBytes in tiered mode, remote consumers get values up to this size pushed to
 *     their worker; larger ones go through Redis when it is configured
 * @param keyPrefix first part of every Redis key
 */
public record StoreConfig(
    StoreMode mode,
    long fixedBudgetBytes,
    Optional<ReclaimableMemory> reclaimable,
    long chunkSize,
    long inlineThreshold,
    long maxValueSize,
    Duration ttl,
    Optional<URI> redisUri,
    Duration redisTimeout,
    long peerPushMaxBytes,
    String keyPrefix) {

  /** The largest value a {@link Blob} can hold. */
  public static final long MAX_BLOB = Integer.MAX_VALUE - 8;

  public StoreConfig {
    if (fixedBudgetBytes < 0) {
      throw invalid("budget", fixedBudgetBytes + " bytes", "must not be negative");
    }
    if (fixedBudgetBytes == 0 && reclaimable.isEmpty()) {
      throw invalid("budget", "unset", "set a fixed budget or slots, granted memory and ratio");
    }
    if (chunkSize <= 0 || chunkSize > 512L << 20) {
      throw invalid("chunk-size", chunkSize + " bytes", "must be in 1B..512MB");
    }
    if (maxValueSize <= 0 || maxValueSize > MAX_BLOB) {
      throw invalid("max-value-size", maxValueSize + " bytes", "must be in 1B.." + MAX_BLOB + "B");
    }
    if (inlineThreshold < 0 || inlineThreshold > maxValueSize) {
      throw invalid("inline-threshold", inlineThreshold + " bytes", "must be in 0..max-value-size");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw invalid("ttl", ttl.toString(), "must be positive");
    }
    if (redisTimeout.isNegative() || redisTimeout.isZero()) {
      throw invalid("redis-timeout", redisTimeout.toString(), "must be positive");
    }
    if (peerPushMaxBytes < 0) {
      throw invalid("peer-push-max", peerPushMaxBytes + " bytes", "must not be negative");
    }
    if (mode == StoreMode.REDIS && redisUri.isEmpty()) {
      throw invalid("redis-uri", "unset", "mode redis needs a Redis server (redis://HOST:PORT)");
    }
    redisUri.ifPresent(StoreConfig::checkRedisUri);
    if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw invalid("key-prefix", "'" + keyPrefix + "'", "must be non-empty without braces");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads {@code store.*}-style keys without their prefix (mode, budget, ttl...); see docs. */
  public static StoreConfig fromMap(Map<String, String> keys) {
    return StoreConfigKeys.apply(builder(), keys).build();
  }

  /** Whether a value of {@code size} bytes travels inline in the event instead of the store. */
  public boolean inline(long size) {
    return size <= inlineThreshold;
  }

  /** The memory budget at start: the fixed one, or the reclaimable ceiling. */
  public long initialBudget() {
    return fixedBudgetBytes > 0 ? fixedBudgetBytes : reclaimable.orElseThrow().ceiling();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.fixedBudgetBytes = fixedBudgetBytes;
    b.reclaimable = reclaimable;
    b.chunkSize = chunkSize;
    b.inlineThreshold = inlineThreshold;
    b.maxValueSize = maxValueSize;
    b.ttl = ttl;
    b.redisUri = redisUri;
    b.redisTimeout = redisTimeout;
    b.peerPushMaxBytes = peerPushMaxBytes;
    b.keyPrefix = keyPrefix;
    return b;
  }

  private static void checkRedisUri(URI uri) {
    String scheme = uri.getScheme();
    if (!("redis".equals(scheme) || "rediss".equals(scheme)) || uri.getHost() == null) {
      throw invalid("redis-uri", uri.toString(), "expected redis://HOST:PORT");
    }
  }

  private static IllegalArgumentException invalid(String key, String value, String rule) {
    return new IllegalArgumentException("store config " + key + " = " + value + ": " + rule);
  }

  /** Mutable builder with the defaults documented in docs/faastore.md. */
  public static final class Builder {
    private StoreMode mode = StoreMode.MEMORY;
    private long fixedBudgetBytes = 256L << 20;
    private Optional<ReclaimableMemory> reclaimable = Optional.empty();
    private long chunkSize = 1L << 20;
    private long inlineThreshold = 16L << 10;
    private long maxValueSize = 512L << 20;
    private Duration ttl = Duration.ofHours(1);
    private Optional<URI> redisUri = Optional.empty();
    private Duration redisTimeout = Duration.ofSeconds(10);
    private long peerPushMaxBytes = 64L << 20;
    private String keyPrefix = "sluice";

    private Builder() {}

    public Builder mode(StoreMode v) {
      mode = v;
      return this;
    }

    /** A fixed budget; clears any reclaimable one. */
    public Builder budget(long bytes) {
      fixedBudgetBytes = bytes;
      reclaimable = Optional.empty();
      return this;
    }

    /** A reclaimable budget; clears any fixed one. */
    public Builder reclaimable(ReclaimableMemory v) {
      reclaimable = Optional.of(v);
      fixedBudgetBytes = 0;
      return this;
    }

    public Builder chunkSize(long v) {
      chunkSize = v;
      return this;
    }

    public Builder inlineThreshold(long v) {
      inlineThreshold = v;
      return this;
    }

    public Builder maxValueSize(long v) {
      maxValueSize = v;
      return this;
    }

    public Builder ttl(Duration v) {
      ttl = v;
      return this;
    }

    public Builder redisUri(URI v) {
      redisUri = Optional.ofNullable(v);
      return this;
    }

    public Builder redisTimeout(Duration v) {
      redisTimeout = v;
      return this;
    }

    public Builder peerPushMaxBytes(long v) {
      peerPushMaxBytes = v;
      return this;
    }

    public Builder keyPrefix(String v) {
      keyPrefix = v;
      return this;
    }

    public StoreConfig build() {
      return new StoreConfig(
          mode,
          fixedBudgetBytes,
          reclaimable,
          chunkSize,
          inlineThreshold,
          maxValueSize,
          ttl,
          redisUri,
          redisTimeout,
          peerPushMaxBytes,
          keyPrefix);
    }
  }
}

package io.sluice.cluster.config;

import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How FaaStore keeps intermediate data: the one store configuration type, read from a cluster
 * config's {@code store:} section (keys below, as written in the file) and built in code with
 * {@link #builder()}; checked when built. Every default is defined here once ({@code DEFAULT_*}),
 * and the CLI's store flags fall back to them. docs/configuration.md lists the keys.
 *
 * @param mode memory, redis or tiered (key {@value #MODE})
 * @param fixedBudgetBytes memory budget in bytes ({@value #MEMORY_BUDGET}); 0 to derive it from
 *     {@code reclaimable}
 * @param reclaimable FaaSFlow's reclaimable-memory budget ({@value #SLOTS}, {@value
 *     #GRANTED_MEMORY_PER_SLOT}, {@value #RECLAIM_RATIO}), used when no fixed budget is set
 * @param fromContainers the budget follows the memory the worker's containers were granted but do
 *     not use ({@value #RECLAIM_FROM_CONTAINERS}, {@value #RECLAIM_RATIO}, {@value #BUDGET_FLOOR},
 *     {@value #BUDGET_CAP}); exclusive with the other two
 * @param chunkSize Redis values above this many bytes are split into chunks of this size
 * @param inlineThreshold values of at most this many bytes travel inside the event, not the store
 * @param maxValueSize the largest value a store accepts
 * @param ttl how long a value lives after it is written when its instance never ends
 * @param redisUri the Redis server ({@value #REDIS}), required for mode redis and optional (spill,
 *     large values) for tiered
 * @param redisTimeout bound on every Redis command and on connecting
 * @param peerPushMaxBytes in tiered mode, remote consumers get values up to this size pushed to
 *     their worker; larger ones go through Redis when it is configured
 * @param keyPrefix first part of every Redis key
 * @param redisAccess the user, password file and TLS settings for {@code redisUri} ({@link
 *     RedisAccess#NONE}: only what the URI says)
 */
public record StoreConfig(
    StoreMode mode,
    long fixedBudgetBytes,
    Optional<ReclaimableMemory> reclaimable,
    Optional<ContainerReclaim> fromContainers,
    long chunkSize,
    long inlineThreshold,
    long maxValueSize,
    Duration ttl,
    Optional<URI> redisUri,
    Duration redisTimeout,
    long peerPushMaxBytes,
    String keyPrefix,
    RedisAccess redisAccess) {

  // The keys of a cluster config's store: section, one spelling each.
  public static final String MODE = "mode";
  public static final String MEMORY_BUDGET = "memoryBudget";
  public static final String SLOTS = "slots";
  public static final String GRANTED_MEMORY_PER_SLOT = "grantedMemoryPerSlot";
  public static final String RECLAIM_RATIO = "reclaimRatio";
  public static final String RECLAIM_FROM_CONTAINERS = "reclaimFromContainers";
  public static final String BUDGET_FLOOR = "budgetFloor";
  public static final String BUDGET_CAP = "budgetCap";
  public static final String CHUNK_SIZE = "chunkSize";
  public static final String INLINE_THRESHOLD = "inlineThreshold";
  public static final String MAX_VALUE_SIZE = "maxValueSize";
  public static final String TTL = "ttl";
  public static final String REDIS = "redis";
  public static final String REDIS_TIMEOUT = "redisTimeout";
  public static final String PEER_PUSH_MAX = "peerPushMax";
  public static final String KEY_PREFIX = "keyPrefix";

  /** Every key of the {@code store:} section. */
  public static final List<String> KEYS =
      List.of(
          MODE,
          MEMORY_BUDGET,
          SLOTS,
          GRANTED_MEMORY_PER_SLOT,
          RECLAIM_RATIO,
          RECLAIM_FROM_CONTAINERS,
          BUDGET_FLOOR,
          BUDGET_CAP,
          CHUNK_SIZE,
          INLINE_THRESHOLD,
          MAX_VALUE_SIZE,
          TTL,
          REDIS,
          REDIS_TIMEOUT,
          PEER_PUSH_MAX,
          KEY_PREFIX);

  // The one default of each setting.
  /** The default mode's name; {@link StoreMode#parse} gives the mode. */
  public static final String DEFAULT_MODE = "memory";

  public static final long DEFAULT_MEMORY_BUDGET = 256L << 20;
  public static final double DEFAULT_RECLAIM_RATIO = 0.5;
  public static final boolean DEFAULT_RECLAIM_FROM_CONTAINERS = false;
  public static final long DEFAULT_BUDGET_FLOOR = 16L << 20;
  public static final long DEFAULT_BUDGET_CAP = 1L << 30;
  public static final long DEFAULT_CHUNK_SIZE = 1L << 20;
  public static final long DEFAULT_INLINE_THRESHOLD = 64L << 10;
  public static final long DEFAULT_MAX_VALUE_SIZE = 512L << 20;
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_PEER_PUSH_MAX = 64L << 20;
  public static final String DEFAULT_KEY_PREFIX = "sluice";

  /** The largest value a {@link Blob} can hold. */
  public static final long MAX_BLOB = Integer.MAX_VALUE - 8;

  /** The configuration with every default. */
  public static final StoreConfig DEFAULT = builder().build();

  public StoreConfig {
    Objects.requireNonNull(mode, MODE);
    Objects.requireNonNull(reclaimable, "reclaimable");
    Objects.requireNonNull(fromContainers, RECLAIM_FROM_CONTAINERS);
    Objects.requireNonNull(ttl, TTL);
    Objects.requireNonNull(redisUri, REDIS);
    Objects.requireNonNull(redisTimeout, REDIS_TIMEOUT);
    redisAccess = redisAccess == null ? RedisAccess.NONE : redisAccess;
    Objects.requireNonNull(keyPrefix, KEY_PREFIX);
    if (fixedBudgetBytes < 0) {
      throw invalid(MEMORY_BUDGET, size(fixedBudgetBytes), "must not be negative");
    }
    if (fromContainers.isPresent() && (fixedBudgetBytes > 0 || reclaimable.isPresent())) {
      throw new InvalidSetting(
          RECLAIM_FROM_CONTAINERS,
          "replaces "
              + MEMORY_BUDGET
              + ", "
              + SLOTS
              + " and "
              + GRANTED_MEMORY_PER_SLOT
              + ": write one way of sizing the budget");
    }
    if (fromContainers.isPresent() && redisUri.isEmpty()) {
      throw new InvalidSetting(
          RECLAIM_FROM_CONTAINERS,
          "needs "
              + REDIS
              + ": values the shrinking budget evicts spill there (write redis://HOST:PORT)");
    }
    if (fixedBudgetBytes == 0 && reclaimable.isEmpty() && fromContainers.isEmpty()) {
      throw invalid(
          MEMORY_BUDGET,
          "0B",
          "must be more than 0 bytes (or set "
              + SLOTS
              + ", "
              + GRANTED_MEMORY_PER_SLOT
              + " and "
              + RECLAIM_RATIO
              + " instead)");
    }
    if (chunkSize <= 0 || chunkSize > 512L << 20) {
      throw invalid(CHUNK_SIZE, size(chunkSize), "must be in 1B..512MiB");
    }
    if (maxValueSize <= 0 || maxValueSize > MAX_BLOB) {
      throw invalid(MAX_VALUE_SIZE, size(maxValueSize), "must be in 1B.." + MAX_BLOB + "B");
    }
    if (inlineThreshold < 0 || inlineThreshold > maxValueSize) {
      throw invalid(
          INLINE_THRESHOLD,
          size(inlineThreshold),
          "must be in 0.." + MAX_VALUE_SIZE + " (" + size(maxValueSize) + ")");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw invalid(TTL, Durations.format(ttl), "must be positive");
    }
    if (redisTimeout.isNegative() || redisTimeout.isZero()) {
      throw invalid(REDIS_TIMEOUT, Durations.format(redisTimeout), "must be positive");
    }
    if (peerPushMaxBytes < 0) {
      throw invalid(PEER_PUSH_MAX, size(peerPushMaxBytes), "must not be negative");
    }
    if (mode == StoreMode.REDIS && redisUri.isEmpty()) {
      throw new InvalidSetting(REDIS, "is required by mode redis: write redis://HOST:PORT");
    }
    redisUri.ifPresent(StoreConfig::checkRedisUri);
    if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw invalid(KEY_PREFIX, "'" + keyPrefix + "'", "must be non-empty without braces");
    }
  }

  /**
   * A store setting that breaks its rule; {@link #key()} is the setting's key as written in a
   * cluster config's {@code store:} section, {@link #rule()} the message without the key.
   */
  public static final class InvalidSetting extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String rule;

    InvalidSetting(String key, String rule) {
      super("store: '" + key + "' " + rule);
      this.key = key;
      this.rule = rule;
    }

    public String key() {
      return key;
    }

    /** E.g. {@code must be in 1B..512MiB, got 0B}. */
    public String rule() {
      return rule;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a value of {@code size} bytes travels inline in the event instead of the store. */
  public boolean inline(long size) {
    return size <= inlineThreshold;
  }

  /**
   * The memory budget at start: the fixed one, the reclaimable ceiling, or (from containers) the
   * floor until the containers are measured.
   */
  public long initialBudget() {
    if (fixedBudgetBytes > 0) {
      return fixedBudgetBytes;
    }
    return fromContainers.isPresent()
        ? fromContainers.get().floorBytes()
        : reclaimable.orElseThrow().ceiling();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.fixedBudgetBytes = fixedBudgetBytes;
    b.reclaimable = reclaimable;
    b.fromContainers = fromContainers;
    b.chunkSize = chunkSize;
    b.inlineThreshold = inlineThreshold;
    b.maxValueSize = maxValueSize;
    b.ttl = ttl;
    b.redisUri = redisUri;
    b.redisTimeout = redisTimeout;
    b.peerPushMaxBytes = peerPushMaxBytes;
    b.keyPrefix = keyPrefix;
    b.redisAccess = redisAccess;
    return b;
  }

  /** The record's text with the Redis password (if the URI holds one) masked. */
  @Override
  public String toString() {
    return "StoreConfig[mode="
        + mode
        + ", redis="
        + redisUri.map(RedisAccess::masked).orElse("none")
        + ", redisAccess="
        + redisAccess
        + ", keyPrefix="
        + keyPrefix
        + "]";
  }

  /** Checks a Redis server address: {@code redis://HOST:PORT} or {@code rediss://...}. */
  public static void checkRedisUri(URI uri) {
    String scheme = uri.getScheme();
    if (!("redis".equals(scheme) || "rediss".equals(scheme)) || uri.getHost() == null) {
      throw new InvalidSetting(
          REDIS, "must look like redis://HOST:PORT, got '" + RedisAccess.masked(uri) + "'");
    }
  }

  private static InvalidSetting invalid(String key, String value, String rule) {
    return new InvalidSetting(key, rule + ", got " + value);
  }

  private static String size(long bytes) {
    return ByteSizes.format(bytes);
  }

  /** Mutable builder starting from the {@code DEFAULT_*} values. */
  public static final class Builder {
    private StoreMode mode = StoreMode.parse(DEFAULT_MODE);
    private long fixedBudgetBytes = DEFAULT_MEMORY_BUDGET;
    private Optional<ReclaimableMemory> reclaimable = Optional.empty();
    private Optional<ContainerReclaim> fromContainers = Optional.empty();
    private long chunkSize = DEFAULT_CHUNK_SIZE;
    private long inlineThreshold = DEFAULT_INLINE_THRESHOLD;
    private long maxValueSize = DEFAULT_MAX_VALUE_SIZE;
    private Duration ttl = DEFAULT_TTL;
    private Optional<URI> redisUri = Optional.empty();
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;
    private long peerPushMaxBytes = DEFAULT_PEER_PUSH_MAX;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private RedisAccess redisAccess = RedisAccess.NONE;

    private Builder() {}

    public Builder mode(StoreMode v) {
      mode = v;
      return this;
    }

    /** A fixed budget; clears any reclaimable one. */
    public Builder budget(long bytes) {
      fixedBudgetBytes = bytes;
      reclaimable = Optional.empty();
      fromContainers = Optional.empty();
      return this;
    }

    /** A reclaimable budget; clears any fixed one. */
    public Builder reclaimable(ReclaimableMemory v) {
      reclaimable = Optional.of(v);
      fixedBudgetBytes = 0;
      fromContainers = Optional.empty();
      return this;
    }

    /** A budget that follows the containers' unused memory; clears the other ways. */
    public Builder reclaimFromContainers(ContainerReclaim v) {
      fromContainers = Optional.of(v);
      fixedBudgetBytes = 0;
      reclaimable = Optional.empty();
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

    public Builder redisAccess(RedisAccess v) {
      redisAccess = v;
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
          fromContainers,
          chunkSize,
          inlineThreshold,
          maxValueSize,
          ttl,
          redisUri,
          redisTimeout,
          peerPushMaxBytes,
          keyPrefix,
          redisAccess);
    }
  }
}

package io.sluice.cluster.config;

import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.RedisJournal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether instances survive the death of a process (the {@code durability:} section,
 * docs/configuration.md): {@code none} (the default: nothing is recorded) or {@code redis} (the
 * master and workers write a {@link Journal} to the Redis of the {@code store:} section).
 *
 * @param mode none or redis
 * @param redisWait how long a journal command waits for Redis (also while it is away) before its
 *     write fails
 * @param retention how long an ended instance's journal is kept
 * @param keyPrefix first part of every journal key (so clusters and tests sharing one Redis do not
 *     collide)
 */
public record DurabilityConfig(
    Mode mode, Duration redisWait, Duration retention, String keyPrefix) {

  /** What is recorded. */
  public enum Mode {
    /** Nothing: an instance with a part on a dead process fails. */
    NONE,
    /** A journal in Redis: instances go on when a worker or the master dies. */
    REDIS;

    public static Mode parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown durability mode '" + text + "'; use none or redis", e);
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String MODE = "mode";
  public static final String REDIS_WAIT = "redisWait";
  public static final String RETENTION = "retention";
  public static final String KEY_PREFIX = "keyPrefix";

  public static final Duration DEFAULT_REDIS_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);
  public static final String DEFAULT_KEY_PREFIX = RedisJournal.DEFAULT_KEY_PREFIX;

  /** {@code durability: none}. */
  public static final DurabilityConfig NONE = of(Mode.NONE);

  public DurabilityConfig {
    Objects.requireNonNull(mode, MODE);
    Objects.requireNonNull(redisWait, REDIS_WAIT);
    Objects.requireNonNull(retention, RETENTION);
    if (redisWait.isZero() || redisWait.isNegative()) {
      throw new IllegalArgumentException("durability redisWait must be positive, got " + redisWait);
    }
    if (retention.isZero() || retention.isNegative()) {
      throw new IllegalArgumentException("durability retention must be positive, got " + retention);
    }
    RedisJournal.checkPrefix(keyPrefix);
  }

  /** {@code mode} with every other setting at its default. */
  public static DurabilityConfig of(Mode mode) {
    return new DurabilityConfig(mode, DEFAULT_REDIS_WAIT, DEFAULT_RETENTION, DEFAULT_KEY_PREFIX);
  }

  public boolean enabled() {
    return mode != Mode.NONE;
  }

  /**
   * The journal these settings describe: {@link Journal#NONE}, or a {@link RedisJournal} connected
   * to {@code store}'s Redis (the caller closes it).
   *
   * @throws IllegalArgumentException when mode is redis and {@code store} names no Redis
   * @throws io.sluice.cluster.durable.JournalException when Redis cannot be reached
   */
  public Journal open(StoreConfig store) {
    if (!enabled()) {
      return Journal.NONE;
    }
    return RedisJournal.open(
        store
            .redisUri()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "durability: redis needs store.redis (redis://HOST:PORT)")),
        store.redisAccess(),
        redisWait,
        retention,
        keyPrefix);
  }
}

package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One event source the master consumes (an entry of the {@code sources:} section,
 * docs/configuration.md). The only type is {@code redis-stream}: a Redis stream read with a
 * consumer group, each entry delivered as a CloudEvent and routed as {@code POST /events} routes.
 *
 * @param name names the source in logs and metrics (default: the stream)
 * @param uri the Redis server, {@code redis://HOST:PORT} or {@code rediss://...}
 * @param stream the stream key
 * @param group the consumer group (created with the stream if missing)
 * @param consumer this master's consumer name in the group; empty = {@code master-HOST-GRPCPORT}
 * @param deadLetter the stream malformed and unmatched entries are copied to
 * @param batch entries read per call
 * @param block how long one read waits for new entries
 * @param claimIdle entries pending longer than this (a consumer died before acknowledging them) are
 *     claimed and delivered again
 * @param format how an entry holds its event: {@code cloudevent} or {@code data}
 * @param eventType the type of {@code data} entries without a {@code type} field; empty = required
 */
public record SourceConfig(
    String name,
    String uri,
    String stream,
    String group,
    Optional<String> consumer,
    String deadLetter,
    int batch,
    Duration block,
    Duration claimIdle,
    String format,
    Optional<String> eventType) {
  public static final String REDIS_STREAM = "redis-stream";
  public static final Set<String> FORMATS = Set.of("cloudevent", "data");
  public static final String DEFAULT_GROUP = "sluice";
  public static final int DEFAULT_BATCH = 64;
  public static final int MAX_BATCH = 10_000;
  public static final Duration DEFAULT_BLOCK = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofSeconds(30);

  public SourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(group, "group");
    consumer = consumer == null ? Optional.empty() : consumer;
    Objects.requireNonNull(deadLetter, "deadLetter");
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(claimIdle, "claimIdle");
    eventType = eventType == null ? Optional.empty() : eventType;
    if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "source "
              + name
              + ": uri must be redis://HOST:PORT or rediss://..., got "
              + RedisAccess.masked(uri));
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new IllegalArgumentException(
          "source " + name + ": batch must be in 1.." + MAX_BATCH + ", got " + batch);
    }
    if (block.isZero() || block.isNegative() || claimIdle.isZero() || claimIdle.isNegative()) {
      throw new IllegalArgumentException(
          "source " + name + ": block and claimIdle must be positive");
    }
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "source " + name + ": format must be cloudevent or data, got " + format);
    }
    if (deadLetter.equals(stream)) {
      throw new IllegalArgumentException(
          "source " + name + ": deadLetter must not be the stream itself (" + stream + ")");
    }
  }

  /** A source of the stream with every default. */
  public static SourceConfig redisStream(String uri, String stream) {
    return new SourceConfig(
        stream,
        uri,
        stream,
        DEFAULT_GROUP,
        Optional.empty(),
        stream + ".dead",
        DEFAULT_BATCH,
        DEFAULT_BLOCK,
        DEFAULT_CLAIM_IDLE,
        "cloudevent",
        Optional.empty());
  }

  public SourceConfig withConsumer(String c) {
    return new SourceConfig(
        name,
        uri,
        stream,
        group,
        Optional.of(c),
        deadLetter,
        batch,
        block,
        claimIdle,
        format,
        eventType);
  }

  public SourceConfig withClaimIdle(Duration d) {
    return new SourceConfig(
        name, uri, stream, group, consumer, deadLetter, batch, block, d, format, eventType);
  }

  public SourceConfig withBlock(Duration d) {
    return new SourceConfig(
        name, uri, stream, group, consumer, deadLetter, batch, d, claimIdle, format, eventType);
  }

  public SourceConfig withFormat(String f, String type) {
    return new SourceConfig(
        name,
        uri,
        stream,
        group,
        consumer,
        deadLetter,
        batch,
        block,
        claimIdle,
        f,
        Optional.ofNullable(type));
  }
}

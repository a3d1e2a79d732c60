package io.sluice.faastore;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.redis.RedisUris;
import io.sluice.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Values in Redis through Lettuce's async API. Values above 64 KB are split into chunks written and
 * read with plain pipelined commands and committed by a small Lua script ({@link RedisChunks},
 * {@link RedisScripts}), so readers never see half a value. Keys carry the instance as a hash tag
 * and a per-instance set lists them, so deleteInstance drops them all at once; every key expires
 * after the TTL. Every command is bounded by the configured timeout and commands fail at once while
 * disconnected: an unreachable Redis gives {@link StoreUnavailableException}, never a hang.
 */
public final class RedisStore implements DataStore {
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisAsyncCommands<byte[], byte[]> redis;
  private final RedisKeys keys;
  private final String where;
  private final long chunkSize;
  private final long maxValueSize;
  private final RedisChunks chunks;
  private final Duration timeout;
  private final StoreCounters counters = new StoreCounters();
  private final TransferLedger ledger;

  private RedisStore(
      RedisClient client,
      StatefulRedisConnection<byte[], byte[]> connection,
      StoreConfig config,
      Scheduler scheduler) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.keys = new RedisKeys(config.keyPrefix());
    this.where = io.sluice.cluster.config.RedisAccess.masked(config.redisUri().orElseThrow());
    this.chunkSize = config.chunkSize();
    this.maxValueSize = config.maxValueSize();
    this.chunks = new RedisChunks(redis, keys, chunkSize, Math.max(1, config.ttl().toMillis()));
    this.timeout = config.redisTimeout();
    this.ledger = new TransferLedger(scheduler, config.ttl());
  }

  /** Connects to {@code config.redisUri()}; fails with StoreUnavailableException if it can't. */
  public static RedisStore connect(StoreConfig config, Scheduler scheduler) {
    java.net.URI address =
        config
            .redisUri()
            .orElseThrow(() -> new IllegalArgumentException("store config has no redis-uri"));
    // messages show the address with any password masked
    String where = io.sluice.cluster.config.RedisAccess.masked(address);
    Duration timeout = config.redisTimeout();
    RedisURI uri;
    try {
      uri = RedisUris.of(address, config.redisAccess(), timeout);
    } catch (IllegalArgumentException e) {
      throw new StoreUnavailableException("store: Redis at " + where + ": " + e.getMessage(), e);
    }
    RedisClient client = RedisClient.create(uri);
    client.setOptions(
        RedisUris.trust(ClientOptions.builder(), config.redisAccess())
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .build());
    try {
      return new RedisStore(client, client.connect(ByteArrayCodec.INSTANCE), config, scheduler);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw RedisErrors.map(e, "connecting", where);
    }
  }

  @Override
  public CompletionStage<Void> put(DataKey key, Blob value) {
    if (value.size() > maxValueSize) {
      return Stages.failed(Stages.tooLarge(key, value.size(), maxValueSize));
    }
    counters.puts.increment();
    return chunks
        .write(key, value)
        .handle(
            (n, e) -> {
              if (e != null) {
                throw RedisErrors.map(e, "put " + key + " (" + value.size() + " bytes)", where);
              }
              ledger.redis(key, value.size());
              return null;
            });
  }

  @Override
  public CompletionStage<Optional<Blob>> get(DataKey key) {
    counters.gets.increment();
    return chunks
        .read(key)
        .handle(
            (found, e) -> {
              if (e != null) {
                throw RedisErrors.map(e, "get " + key, where);
              }
              if (found.isEmpty()) {
                counters.misses.increment();
                return found;
              }
              Blob value = found.get();
              counters.hits.increment();
              ledger.redis(key, value.size());
              return Optional.of(value);
            });
  }

  @Override
  public CompletionStage<Void> delete(DataKey key) {
    byte[][] scriptKeys = {keys.header(key), keys.instanceSet(key.instanceId())};
    return this.<Long>script(
            RedisScripts.DELETE, ScriptOutputType.INTEGER, scriptKeys, keys.chunkBase(key))
        .handle((n, e) -> failOn(e, "delete " + key));
  }

  @Override
  public CompletionStage<Void> deleteInstance(String instanceId) {
    byte[][] scriptKeys = {keys.instanceSet(instanceId)};
    return this.<Long>script(RedisScripts.DELETE_INSTANCE, ScriptOutputType.INTEGER, scriptKeys)
        .handle((n, e) -> failOn(e, "deleteInstance " + instanceId));
  }

  /** Counts the values under this store's key prefix with SCAN: O(keys), for reports and tests. */
  @Override
  public StoreUsage usage() {
    long entries = 0;
    long bytes = 0;
    try {
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs match = ScanArgs.Builder.matches(keys.allHeaders()).limit(1000);
      do {
        KeyScanCursor<byte[]> page = await(redis.scan(cursor, match));
        for (byte[] header : page.getKeys()) {
          byte[] size = await(redis.hget(header, RedisKeys.bytes("s")));
          if (size != null) {
            entries++;
            bytes += Long.parseLong(new String(size, StandardCharsets.US_ASCII));
          }
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (Exception e) {
      throw RedisErrors.map(e, "usage scan", where);
    }
    return counters.usage(entries, bytes, StoreUsage.UNBOUNDED);
  }

  @Override
  public Transfers transfers(String instanceId) {
    return ledger.of(instanceId);
  }

  @Override
  public Transfers transferTotals() {
    return ledger.total();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private <T> CompletionStage<T> script(
      String lua, ScriptOutputType type, byte[][] scriptKeys, byte[]... args) {
    try {
      return redis.<T>eval(lua, type, scriptKeys, args);
    } catch (RuntimeException e) {
      return Stages.failed(e);
    }
  }

  private Void failOn(Throwable e, String what) {
    if (e != null) {
      throw RedisErrors.map(e, what, where);
    }
    return null;
  }

  private <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}

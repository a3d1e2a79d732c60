package io.sluice.faastore;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How {@link RedisStore} lays a value out: values up to {@link #INLINE_MAX} live in their header
 * hash (one script); larger ones are written as pipelined plain {@code SET}s of chunks under a
 * fresh generation, then committed by a small script that points the header at that generation.
 * Reads fetch the header, then pipeline {@code GET}s of the generation's chunks; a chunk that
 * vanished means a concurrent overwrite or delete, so the read starts again from the header.
 */
final class RedisChunks {
  /** Values up to this size are stored inside the header. */
  static final int INLINE_MAX = 64 << 10;

  private static final int READ_ATTEMPTS = 3;
  private static final byte[][] HEADER_FIELDS = {
    RedisKeys.bytes("s"), RedisKeys.bytes("n"), RedisKeys.bytes("g"), RedisKeys.bytes("d")
  };

  private final RedisAsyncCommands<byte[], byte[]> redis;
  private final RedisKeys keys;
  private final long chunkSize;
  private final long ttlMillis;
  private final String generationBase =
      Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  private final AtomicLong generations = new AtomicLong();

  RedisChunks(RedisAsyncCommands<byte[], byte[]> redis, RedisKeys keys, long chunkSize, long ttl) {
    this.redis = redis;
    this.keys = keys;
    this.chunkSize = chunkSize;
    this.ttlMillis = ttl;
  }

  CompletionStage<Void> write(DataKey key, Blob value) {
    int size = value.size();
    int chunks = size <= INLINE_MAX ? 0 : (int) ((size + chunkSize - 1) / chunkSize);
    String generation = generationBase + "." + generations.incrementAndGet();
    List<CompletableFuture<String>> sets = new ArrayList<>(chunks);
    SetArgs px = SetArgs.Builder.px(ttlMillis);
    for (int i = 0; i < chunks; i++) {
      int from = (int) (i * chunkSize);
      byte[] part = bytesOf(value, from, (int) Math.min(chunkSize, size - from));
      sets.add(redis.set(keys.chunk(key, generation, i), part, px).toCompletableFuture());
    }
    List<byte[]> args = new ArrayList<>(6);
    args.add(ascii(size));
    args.add(ascii(chunks));
    args.add(ascii(ttlMillis));
    args.add(keys.chunkBase(key));
    args.add(RedisKeys.bytes(generation));
    if (chunks == 0) {
      args.add(value.toByteArray());
    }
    byte[][] scriptKeys = {keys.header(key), keys.instanceSet(key.instanceId())};
    return CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new))
        .thenCompose(
            v ->
                redis.<Long>eval(
                    RedisScripts.COMMIT,
                    ScriptOutputType.INTEGER,
                    scriptKeys,
                    args.toArray(byte[][]::new)))
        .thenApply(n -> null);
  }

  CompletionStage<Optional<Blob>> read(DataKey key) {
    return read(key, 1);
  }

  private CompletionStage<Optional<Blob>> read(DataKey key, int attempt) {
    return redis
        .hmget(keys.header(key), HEADER_FIELDS)
        .thenCompose(
            fields -> {
              if (!fields.get(0).hasValue()) {
                return CompletableFuture.completedFuture(Optional.<Blob>empty());
              }
              long size = Long.parseLong(text(fields.get(0).getValue()));
              int chunks = Integer.parseInt(text(fields.get(1).getValue()));
              if (chunks == 0) {
                return CompletableFuture.completedFuture(
                    Optional.of(Blob.wrap(fields.get(3).getValueOrElse(new byte[0]))));
              }
              String generation = text(fields.get(2).getValue());
              List<CompletableFuture<byte[]>> gets = new ArrayList<>(chunks);
              for (int i = 0; i < chunks; i++) {
                gets.add(redis.get(keys.chunk(key, generation, i)).toCompletableFuture());
              }
              return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new))
                  .thenCompose(v -> assemble(key, size, gets, attempt));
            });
  }

  private CompletionStage<Optional<Blob>> assemble(
      DataKey key, long size, List<CompletableFuture<byte[]>> parts, int attempt) {
    byte[] out = new byte[Math.toIntExact(size)];
    int at = 0;
    for (CompletableFuture<byte[]> part : parts) {
      byte[] chunk = part.join();
      if (chunk == null) {
        // Overwritten or deleted while we read; the header tells which.
        return attempt < READ_ATTEMPTS
            ? read(key, attempt + 1)
            : CompletableFuture.completedFuture(Optional.empty());
      }
      if (at + chunk.length > size) {
        throw damaged(key, size);
      }
      System.arraycopy(chunk, 0, out, at, chunk.length);
      at += chunk.length;
    }
    if (at != size) {
      throw damaged(key, size);
    }
    return CompletableFuture.completedFuture(Optional.of(Blob.wrap(out)));
  }

  private static StoreException damaged(DataKey key, long size) {
    return new StoreException(
        "value "
            + key
            + " in Redis is damaged: its header says "
            + size
            + " bytes but its chunks differ; delete it and produce it again");
  }

  private static byte[] bytesOf(Blob value, int from, int length) {
    byte[] out = new byte[length];
    value.asReadOnlyBuffer().get(from, out);
    return out;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}

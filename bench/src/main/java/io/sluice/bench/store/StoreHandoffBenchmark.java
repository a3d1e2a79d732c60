package io.sluice.bench.store;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.DataStore;
import io.sluice.faastore.MemoryStore;
import io.sluice.faastore.RedisStore;
import io.sluice.faastore.grpc.GrpcPeerTransport;
import io.sluice.model.format.ByteSizes;
import io.sluice.time.SystemScheduler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;

/**
 * Hand-off throughput of intermediate data (what {@code bin/sluice bench store} prints): for each
 * size, a producer stores a value and a consumer obtains it, a few warm-up rounds then timed ones.
 *
 * <ul>
 *   <li>memory: put into this worker's memory store, get from it (zero copy);
 *   <li>peer: push to the consumer worker's memory over gRPC on loopback ({@link
 *       io.sluice.faastore.grpc.GrpcPeerTransport} between two peer servers; completes when stored
 *       there), then the consumer reads its own memory;
 *   <li>redis: put into Redis, get from Redis (chunked).
 * </ul>
 *
 * Each size and mode warms up for at least 1 s (3 hand-offs) and is timed over at least 2 s of
 * hand-offs (at least 5). MB/s counts 1 MB as 2^20 bytes of the value per hand-off. A benchmark, so
 * it reads the clock.
 */
public final class StoreHandoffBenchmark {
  private static final int MIN_WARMUPS = 3;
  private static final int MIN_ROUNDS = 5;
  private static final long WARMUP_NANOS = 1_000_000_000L;
  private static final long TIMED_NANOS = 2_000_000_000L;

  /** One measurement; {@code size} as given (e.g. 64MB). */
  public record Row(String mode, String size, long bytes, double mbPerSec) {}

  /** Measures every size in memory, peer and (when {@code redis} is given) Redis mode. */
  public List<Row> run(List<Long> sizes, Optional<URI> redis) {
    return runLabelled(sizes.stream().map(ByteSizes::format).toList(), redis);
  }

  /**
   * As {@link #run}, with sizes as people write them (1KB, 1MB, 64MB).
   *
   * @throws IllegalArgumentException when a size is not a size
   */
  public List<Row> runLabelled(List<String> sizes, Optional<URI> redis) {
    long largest = sizes.stream().mapToLong(ByteSizes::parse).max().orElse(1);
    StoreConfig config =
        StoreConfig.builder()
            .mode(StoreMode.MEMORY)
            .budget(Math.max(256L << 20, 4 * largest))
            .maxValueSize(Math.max(largest, 1L << 20))
            .keyPrefix("sluice-bench")
            .build();
    List<Row> rows = new ArrayList<>();
    try (SystemScheduler clock = new SystemScheduler(1)) {
      try (DataStore memory = MemoryStore.create(config, clock, Optional.empty())) {
        for (String size : sizes) {
          rows.add(measure("memory", size, memory::put, memory::get, memory::deleteInstance));
        }
      }
      try (LoopbackPeers peers = new LoopbackPeers(config, clock)) {
        GrpcPeerTransport transport = peers.transport();
        DataStore consumer = peers.consumer();
        for (String size : sizes) {
          rows.add(
              measure(
                  "peer",
                  size,
                  (k, v) -> transport.push(LoopbackPeers.CONSUMER, k, v),
                  consumer::get,
                  consumer::deleteInstance));
        }
      }
      if (redis.isPresent()) {
        StoreConfig redisConfig =
            config.toBuilder().mode(StoreMode.REDIS).redisUri(redis.get()).build();
        try (DataStore store = RedisStore.connect(redisConfig, clock)) {
          for (String size : sizes) {
            rows.add(measure("redis", size, store::put, store::get, store::deleteInstance));
          }
        }
      }
    }
    return rows;
  }

  private interface Put {
    CompletionStage<Void> put(DataKey key, Blob value);
  }

  private interface Get {
    CompletionStage<Optional<Blob>> get(DataKey key);
  }

  private interface Drop {
    CompletionStage<Void> drop(String instance);
  }

  private Row measure(String mode, String label, Put put, Get get, Drop drop) {
    long bytes = ByteSizes.parse(label);
    byte[] data = new byte[Math.toIntExact(bytes)];
    new Random(bytes).nextBytes(data);
    Blob value = Blob.wrap(data);
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    for (int i = 0; i < MIN_WARMUPS || System.nanoTime() < warmupEnd; i++) {
      handOff(put, get, drop, new DataKey("warm-" + i, "producer", "out"), value);
    }
    long nanos = 0;
    int rounds = 0;
    while (rounds < MIN_ROUNDS || nanos < TIMED_NANOS) {
      nanos += handOff(put, get, drop, new DataKey("round-" + rounds, "producer", "out"), value);
      rounds++;
    }
    double seconds = Math.max(nanos, 1) / 1e9;
    return new Row(mode, label, bytes, (bytes * (double) rounds) / (1 << 20) / seconds);
  }

  private static long handOff(Put put, Get get, Drop drop, DataKey key, Blob value) {
    long start = System.nanoTime();
    put.put(key, value).toCompletableFuture().join();
    Blob got =
        get.get(key)
            .toCompletableFuture()
            .join()
            .orElseThrow(() -> new IllegalStateException("bench value " + key + " vanished"));
    if (got.size() != value.size()) {
      throw new IllegalStateException("bench value " + key + " came back with a wrong size");
    }
    long took = System.nanoTime() - start;
    drop.drop(key.instanceId()).toCompletableFuture().join();
    return took;
  }

  /** {@code StoreHandoffBenchmark 1KB,1MB,64MB [redis://HOST:PORT]}: prints one row a line. */
  public static void main(String[] args) {
    List<String> sizes =
        List.of(args.length > 0 ? args[0].split(",") : new String[] {"1KB", "1MB", "64MB"});
    Optional<URI> redis = args.length > 1 ? Optional.of(URI.create(args[1])) : Optional.empty();
    for (Row row : new StoreHandoffBenchmark().runLabelled(sizes, redis)) {
      System.out.printf("%-6s %8s %14.1f MB/s%n", row.mode(), row.size(), row.mbPerSec());
    }
  }
}

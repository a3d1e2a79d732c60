package io.sluice.faastore;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.time.Scheduler;
import java.util.Optional;

/** The one place a configured {@link StoreMode} becomes a {@link DataStore}. */
public final class DataStores {
  private DataStores() {}

  /**
   * Builds the store {@code config} asks for, for worker {@code localWorker}. Mode memory spills to
   * Redis when a Redis URI is configured; mode redis sends every value through Redis; mode tiered
   * routes by {@code placement} and reaches other workers through {@code peers}.
   *
   * @throws StoreUnavailableException when the configured Redis cannot be reached
   */
  public static DataStore create(
      StoreConfig config,
      String localWorker,
      Scheduler scheduler,
      PeerTransport peers,
      DataPlacement placement) {
    return switch (config.mode()) {
      case MEMORY -> MemoryStore.create(config, scheduler, redis(config, scheduler));
      case REDIS -> RedisStore.connect(config, scheduler);
      case TIERED ->
          TieredStore.create(
              config, localWorker, scheduler, redis(config, scheduler), peers, placement);
    };
  }

  private static Optional<DataStore> redis(StoreConfig config, Scheduler scheduler) {
    return config.redisUri().map(uri -> RedisStore.connect(config, scheduler));
  }
}

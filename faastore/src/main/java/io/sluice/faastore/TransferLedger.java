package io.sluice.faastore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.cluster.api.Transfers;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-instance byte counters by path. An instance's counters outlive its data (the run report reads
 * them after the instance ended) and are forgotten {@code ttl} after they were last touched.
 */
final class TransferLedger {
  private final Cache<String, Counters> byInstance;

  /** Every instance's bytes together, never forgotten (the worker's /metrics). */
  private final Counters total = new Counters();

  private static final class Counters {
    final LongAdder local = new LongAdder();
    final LongAdder peer = new LongAdder();
    final LongAdder redis = new LongAdder();
  }

  TransferLedger(Scheduler scheduler, Duration ttl) {
    this.byInstance =
        Caffeine.newBuilder()
            .expireAfterAccess(ttl)
            .ticker(scheduler::nanoTime)
            .executor(Runnable::run)
            .build();
  }

  void local(DataKey key, long bytes) {
    counters(key).local.add(bytes);
    total.local.add(bytes);
  }

  void peer(DataKey key, long bytes) {
    counters(key).peer.add(bytes);
    total.peer.add(bytes);
  }

  void redis(DataKey key, long bytes) {
    counters(key).redis.add(bytes);
    total.redis.add(bytes);
  }

  Transfers of(String instanceId) {
    Counters c = byInstance.getIfPresent(instanceId);
    return c == null ? Transfers.NONE : new Transfers(c.local.sum(), c.peer.sum(), c.redis.sum());
  }

  /** Bytes moved by every instance since the store opened, by path. */
  Transfers total() {
    return new Transfers(total.local.sum(), total.peer.sum(), total.redis.sum());
  }

  private Counters counters(DataKey key) {
    return byInstance.get(key.instanceId(), id -> new Counters());
  }
}

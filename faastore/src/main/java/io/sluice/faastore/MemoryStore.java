package io.sluice.faastore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.ContainerReclaim;
import io.sluice.cluster.config.ReclaimableMemory;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.time.Scheduler;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values in this worker's heap, weighed in bytes and bounded by a budget (fixed, FaaSFlow's
 * reclaimable function memory, or a share of what the worker's containers leave unused). Values are
 * never copied. When the budget is full or shrinks, the values Caffeine evicts are spilled to the
 * spill store (Redis) and later reads fall back to it; without a spill store an evicted value is
 * gone and reading it fails with a clear error. Values expire {@code ttl} after they were written,
 * on the injected scheduler's clock.
 */
public final class MemoryStore implements DataStore, MemoryBudget {
  private static final System.Logger LOG = System.getLogger(MemoryStore.class.getName());

  private final Map<String, Set<DataKey>> keysByInstance = new ConcurrentHashMap<>();
  private final Map<DataKey, CompletableFuture<Void>> spillsInFlight = new ConcurrentHashMap<>();
  private final Map<DataKey, Blob> spillingValues = new ConcurrentHashMap<>();
  private final Map<DataKey, Long> droppedSizes = new ConcurrentHashMap<>();
  private final Optional<DataStore> spillTo;
  private final Optional<ReclaimableMemory> reclaimable;
  private final Optional<ContainerReclaim> fromContainers;
  private final long maxValueSize;
  private final StoreCounters counters = new StoreCounters();
  private final TransferLedger ledger;
  private final Cache<DataKey, Blob> cache;
  private final Policy.Eviction<DataKey, Blob> eviction;
  private volatile long budget;

  private MemoryStore(StoreConfig config, Scheduler scheduler, Optional<DataStore> spillTo) {
    this.spillTo = spillTo;
    this.reclaimable = config.fixedBudgetBytes() > 0 ? Optional.empty() : config.reclaimable();
    this.fromContainers = config.fromContainers();
    this.maxValueSize = config.maxValueSize();
    this.budget = config.initialBudget();
    this.ledger = new TransferLedger(scheduler, config.ttl());
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(budget)
            .weigher((DataKey k, Blob v) -> v.size())
            .expireAfterWrite(config.ttl())
            .ticker(scheduler::nanoTime)
            .scheduler(new CaffeineScheduling(scheduler))
            .executor(Runnable::run)
            .evictionListener(this::onEviction)
            .build();
    this.eviction = cache.policy().eviction().orElseThrow();
  }

  /** A memory store; evicted values go to {@code spillTo} when present, which it then owns. */
  public static MemoryStore create(
      StoreConfig config, Scheduler scheduler, Optional<DataStore> spillTo) {
    return new MemoryStore(config, scheduler, spillTo);
  }

  @Override
  public CompletionStage<Void> put(DataKey key, Blob value) {
    if (value.size() > maxValueSize) {
      return Stages.failed(Stages.tooLarge(key, value.size(), maxValueSize));
    }
    if (spillTo.isEmpty() && value.size() > budget) {
      return Stages.failed(
          new StoreException(
              "value "
                  + key
                  + " is "
                  + value.size()
                  + " bytes, more than the memory budget of "
                  + budget
                  + " bytes, and no spill store is configured; use mode tiered or redis,"
                  + " or raise the budget"));
    }
    counters.puts.increment();
    droppedSizes.remove(key);
    cache
        .asMap()
        .compute(
            key,
            (k, old) -> {
              keysByInstance
                  .computeIfAbsent(k.instanceId(), i -> ConcurrentHashMap.newKeySet())
                  .add(k);
              return value;
            });
    return Stages.done();
  }

  @Override
  public CompletionStage<Optional<Blob>> get(DataKey key) {
    counters.gets.increment();
    Blob value = cache.getIfPresent(key);
    if (value == null) {
      value = spillingValues.get(key);
    }
    if (value != null) {
      counters.hits.increment();
      ledger.local(key, value.size());
      return CompletableFuture.completedFuture(Optional.of(value));
    }
    Long dropped = droppedSizes.get(key);
    if (dropped != null) {
      counters.misses.increment();
      return Stages.failed(
          new StoreException(
              "value "
                  + key
                  + " ("
                  + dropped
                  + " bytes) was evicted from the memory budget of "
                  + budget
                  + " bytes and no spill store is configured; raise the budget or use"
                  + " mode tiered with a Redis URI"));
    }
    if (spillTo.isEmpty()) {
      counters.misses.increment();
      return Stages.absent();
    }
    return spillTo
        .get()
        .get(key)
        .thenApply(
            found -> {
              found.ifPresentOrElse(
                  v -> {
                    counters.hits.increment();
                    ledger.redis(key, v.size());
                  },
                  counters.misses::increment);
              return found;
            });
  }

  /** The value if it is in this worker's memory (or being spilled); never asks the spill store. */
  Optional<Blob> getLocal(DataKey key) {
    Blob value = cache.getIfPresent(key);
    return Optional.ofNullable(value != null ? value : spillingValues.get(key));
  }

  @Override
  public CompletionStage<Void> delete(DataKey key) {
    cache
        .asMap()
        .computeIfPresent(
            key,
            (k, old) -> {
              forgetKey(k);
              return null;
            });
    droppedSizes.remove(key);
    if (spillTo.isEmpty()) {
      return Stages.done();
    }
    CompletableFuture<Void> spill = spillsInFlight.get(key);
    CompletionStage<Void> after = spill == null ? Stages.done() : spill.exceptionally(e -> null);
    return after.thenCompose(v -> spillTo.get().delete(key));
  }

  @Override
  public CompletionStage<Void> deleteInstance(String instanceId) {
    Set<DataKey> keys = keysByInstance.remove(instanceId);
    if (keys != null) {
      keys.forEach(k -> cache.asMap().remove(k));
    }
    droppedSizes.keySet().removeIf(k -> k.instanceId().equals(instanceId));
    if (spillTo.isEmpty()) {
      return Stages.done();
    }
    CompletableFuture<?>[] spills =
        spillsInFlight.entrySet().stream()
            .filter(e -> e.getKey().instanceId().equals(instanceId))
            .map(e -> e.getValue().exceptionally(t -> null))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(spills)
        .thenCompose(v -> spillTo.get().deleteInstance(instanceId));
  }

  @Override
  public StoreUsage usage() {
    cache.cleanUp();
    return counters.usage(cache.estimatedSize(), eviction.weightedSize().orElse(0), budget);
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
  public Optional<MemoryBudget> memoryBudget() {
    return Optional.of(this);
  }

  @Override
  public void updateBudget(long bytes) {
    budget = Math.max(0, bytes);
    eviction.setMaximum(budget);
  }

  @Override
  public void reportFunctionMemory(long usedBytes) {
    reclaimable.ifPresent(r -> updateBudget(r.budget(usedBytes)));
  }

  @Override
  public void reportContainerMemory(long grantedBytes, long usedBytes) {
    fromContainers.ifPresent(r -> updateBudget(r.budget(grantedBytes, usedBytes)));
  }

  @Override
  public long usedBytes() {
    return eviction.weightedSize().orElse(0);
  }

  @Override
  public long budgetBytes() {
    return budget;
  }

  @Override
  public void close() {
    cache.invalidateAll();
    keysByInstance.clear();
    spillTo.ifPresent(DataStore::close);
  }

  /** Runs inside Caffeine's atomic removal of {@code key}. */
  private void onEviction(DataKey key, Blob value, RemovalCause cause) {
    if (key == null || value == null) {
      return;
    }
    forgetKey(key);
    if (cause == RemovalCause.EXPIRED) {
      counters.expired.increment();
    } else if (cause == RemovalCause.SIZE) {
      spill(key, value);
    }
  }

  private void spill(DataKey key, Blob value) {
    counters.spilledEntries.increment();
    counters.spilledBytes.add(value.size());
    if (spillTo.isEmpty()) {
      droppedSizes.put(key, (long) value.size());
      LOG.log(
          System.Logger.Level.WARNING,
          "memory budget full, dropped {0} ({1} bytes): no spill store",
          key,
          value.size());
      return;
    }
    ledger.redis(key, value.size());
    spillingValues.put(key, value);
    CompletableFuture<Void> done = spillTo.get().put(key, value).toCompletableFuture();
    spillsInFlight.put(key, done);
    done.whenComplete(
        (v, e) -> {
          spillsInFlight.remove(key, done);
          spillingValues.remove(key, value);
          if (e != null) {
            droppedSizes.put(key, (long) value.size());
            LOG.log(System.Logger.Level.WARNING, "spilling " + key + " failed; value lost", e);
          }
        });
  }

  private void forgetKey(DataKey key) {
    keysByInstance.computeIfPresent(
        key.instanceId(),
        (i, keys) -> {
          keys.remove(key);
          return keys.isEmpty() ? null : keys;
        });
  }
}

package io.sluice.faastore;

import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DataPlacement-aware FaaStore (docs/design.md, FaaStore): a value goes where {@link RoutePlanner}
 * says (local memory, the consumers' workers through {@link PeerTransport}, and/or Redis) and is
 * read from local memory, then the producing peer, then Redis. The memory tier spills to Redis
 * under pressure. Values small enough to travel inside the event ({@link #inline}) need not be
 * stored at all; the engine decides.
 */
public final class TieredStore implements DataStore {
  private static final System.Logger LOG = System.getLogger(TieredStore.class.getName());

  private final String localWorker;
  private final MemoryStore memory;
  private final Optional<DataStore> redis;
  private final PeerTransport peers;
  private final DataPlacement placement;
  private final RoutePlanner planner;
  private final StoreConfig config;
  private final StoreCounters counters = new StoreCounters();
  private final TransferLedger ledger;
  private final Map<String, Set<String>> pushedTo = new ConcurrentHashMap<>();
  private final PeerView peerView;

  private TieredStore(
      StoreConfig config,
      String localWorker,
      Scheduler scheduler,
      Optional<DataStore> redis,
      PeerTransport peers,
      DataPlacement placement) {
    this.config = config;
    this.localWorker = localWorker;
    this.redis = redis;
    this.peers = peers;
    this.placement = placement;
    this.memory = MemoryStore.create(config, scheduler, redis);
    this.peerView = new PeerView(memory);
    this.planner = new RoutePlanner(localWorker, config.peerPushMaxBytes(), redis.isPresent());
    this.ledger = new TransferLedger(scheduler, config.ttl());
  }

  /** A tiered store for worker {@code localWorker}; it owns {@code redis} and closes it. */
  public static TieredStore create(
      StoreConfig config,
      String localWorker,
      Scheduler scheduler,
      Optional<DataStore> redis,
      PeerTransport peers,
      DataPlacement placement) {
    return new TieredStore(config, localWorker, scheduler, redis, peers, placement);
  }

  /**
   * What peers reach (register it with the transport): pushes land in this worker's memory and
   * fetches read only that memory.
   */
  public DataStore peerView() {
    return peerView;
  }

  /** Whether a value of {@code size} bytes travels inline in the event instead of the store. */
  public boolean inline(long size) {
    return config.inline(size);
  }

  @Override
  public CompletionStage<Void> put(DataKey key, Blob value) {
    if (value.size() > config.maxValueSize()) {
      return Stages.failed(Stages.tooLarge(key, value.size(), config.maxValueSize()));
    }
    counters.puts.increment();
    Route route = planner.plan(value.size(), placement.consumerWorkers(key));
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    if (route.keepLocal()) {
      writes.add(memory.put(key, value).toCompletableFuture());
    }
    for (String worker : route.pushTo()) {
      pushedTo.computeIfAbsent(key.instanceId(), i -> ConcurrentHashMap.newKeySet()).add(worker);
      writes.add(push(worker, key, value));
    }
    if (route.writeRedis()) {
      writes.add(writeRedis(key, value));
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletionStage<Optional<Blob>> get(DataKey key) {
    counters.gets.increment();
    Optional<Blob> local = memory.getLocal(key);
    if (local.isPresent()) {
      ledger.local(key, local.get().size());
      return found(local);
    }
    Optional<String> producer = placement.producerWorker(key).filter(w -> !w.equals(localWorker));
    CompletionStage<Optional<Blob>> fromPeer =
        producer.isEmpty() ? Stages.absent() : fetchFromPeer(producer.get(), key);
    return fromPeer.thenCompose(
        v -> {
          if (v.isPresent() || redis.isEmpty()) {
            return found(v);
          }
          return redis
              .get()
              .get(key)
              .thenCompose(
                  r -> {
                    r.ifPresent(b -> ledger.redis(key, b.size()));
                    return found(r);
                  });
        });
  }

  @Override
  public CompletionStage<Void> delete(DataKey key) {
    return memory.delete(key);
  }

  @Override
  public CompletionStage<Void> deleteInstance(String instanceId) {
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    deletes.add(memory.deleteInstance(instanceId).toCompletableFuture());
    for (String worker : pushedTo.getOrDefault(instanceId, Set.of())) {
      // A peer that cannot be told keeps its copies until their TTL; that must not fail the
      // instance's end here.
      deletes.add(
          safely(() -> peers.deleteInstance(worker, instanceId))
              .exceptionally(
                  e -> {
                    LOG.log(
                        System.Logger.Level.WARNING,
                        "could not tell worker "
                            + worker
                            + " to drop instance "
                            + instanceId
                            + "; its copies expire after the TTL",
                        e);
                    return null;
                  }));
    }
    pushedTo.remove(instanceId);
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
  }

  /** Operations counted here; holdings are the memory tier's plus Redis's (a SCAN). */
  @Override
  public StoreUsage usage() {
    StoreUsage mem = memory.usage();
    StoreUsage own = counters.usage(mem.entries(), mem.bytes(), mem.budgetBytes());
    own =
        new StoreUsage(
            own.entries(),
            own.bytes(),
            own.budgetBytes(),
            own.puts(),
            own.gets(),
            own.hits(),
            own.misses(),
            mem.spilledEntries(),
            mem.spilledBytes(),
            mem.expiredEntries());
    if (redis.isEmpty()) {
      return own;
    }
    StoreUsage remote = redis.get().usage();
    return own.plusHoldings(
        new StoreUsage(remote.entries(), remote.bytes(), 0, 0, 0, 0, 0, 0, 0, 0));
  }

  @Override
  public Transfers transfers(String instanceId) {
    return ledger.of(instanceId).plus(memory.transfers(instanceId));
  }

  @Override
  public Transfers transferTotals() {
    return ledger.total().plus(memory.transferTotals());
  }

  @Override
  public Optional<MemoryBudget> memoryBudget() {
    return Optional.of(memory);
  }

  @Override
  public void close() {
    memory.close(); // closes Redis, the memory tier's spill store
  }

  private CompletableFuture<Void> push(String worker, DataKey key, Blob value) {
    return safely(() -> peers.push(worker, key, value))
        .thenRun(() -> ledger.peer(key, value.size()))
        .exceptionallyCompose(
            e -> {
              // The value stays in local memory, so the consumer can still fetch it from here;
              // Redis, when there is one, is a closer second chance.
              LOG.log(
                  System.Logger.Level.WARNING, "push of " + key + " to " + worker + " failed", e);
              return redis.isPresent()
                  ? writeRedis(key, value)
                  : CompletableFuture.completedFuture(null);
            });
  }

  private CompletableFuture<Void> writeRedis(DataKey key, Blob value) {
    return redis
        .get()
        .put(key, value)
        .thenRun(() -> ledger.redis(key, value.size()))
        .toCompletableFuture();
  }

  private CompletionStage<Optional<Blob>> fetchFromPeer(String worker, DataKey key) {
    return safely(() -> peers.fetch(worker, key))
        .thenApply(
            v -> {
              v.ifPresent(b -> ledger.peer(key, b.size()));
              return v;
            })
        .exceptionallyCompose(e -> redis.isPresent() ? Stages.absent() : Stages.failed(e));
  }

  private CompletionStage<Optional<Blob>> found(Optional<Blob> value) {
    (value.isPresent() ? counters.hits : counters.misses).increment();
    return CompletableFuture.completedFuture(value);
  }

  private static <T> CompletableFuture<T> safely(
      java.util.function.Supplier<CompletionStage<T>> call) {
    try {
      return call.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}

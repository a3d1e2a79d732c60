package io.sluice.faastore;

import io.sluice.cluster.api.Transfers;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the outputs of functions wait for the functions that consume them (docs/design.md,
 * FaaStore). Every operation is asynchronous; a failed stage carries a {@link StoreException} (not
 * retryable) or a {@link StoreUnavailableException} (retryable). Implementations: the memory store,
 * Redis, and the tiered store that routes between memory, peers and Redis; {@link
 * DataStores#create} picks one.
 */
public interface DataStore extends AutoCloseable {

  /** Stores {@code value} under {@code key}, replacing any earlier value. */
  CompletionStage<Void> put(DataKey key, Blob value);

  /** The value under {@code key}, or empty when there is none (never stored, deleted, expired). */
  CompletionStage<Optional<Blob>> get(DataKey key);

  /** Drops the value under {@code key}; dropping a missing value is not an error. */
  CompletionStage<Void> delete(DataKey key);

  /** Drops every value of workflow instance {@code instanceId} at once. */
  CompletionStage<Void> deleteInstance(String instanceId);

  /** What the store holds now and its counters. */
  StoreUsage usage();

  /** Bytes instance {@code instanceId} moved through this store, by path. */
  Transfers transfers(String instanceId);

  /**
   * Bytes every instance moved through this store since it opened, by path (a worker's {@code
   * sluice_faastore_bytes_total}); none for stores that keep no ledger.
   */
  default Transfers transferTotals() {
    return Transfers.NONE;
  }

  /** The memory budget a worker adjusts, for stores that keep values in memory. */
  default Optional<MemoryBudget> memoryBudget() {
    return Optional.empty();
  }

  /** Releases connections and memory; the store is unusable afterwards. */
  @Override
  void close();
}

package io.sluice.faastore;

import io.sluice.cluster.api.Transfers;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What other workers see of this worker's store: pushes land in its memory tier, and fetches read
 * that memory only (never its spill store, which the fetching worker can reach itself).
 */
final class PeerView implements DataStore {
  private final MemoryStore memory;

  PeerView(MemoryStore memory) {
    this.memory = memory;
  }

  @Override
  public CompletionStage<Void> put(DataKey key, Blob value) {
    return memory.put(key, value);
  }

  @Override
  public CompletionStage<Optional<Blob>> get(DataKey key) {
    return CompletableFuture.completedFuture(memory.getLocal(key));
  }

  @Override
  public CompletionStage<Void> delete(DataKey key) {
    return memory.delete(key);
  }

  @Override
  public CompletionStage<Void> deleteInstance(String instanceId) {
    return memory.deleteInstance(instanceId);
  }

  @Override
  public StoreUsage usage() {
    return memory.usage();
  }

  @Override
  public Transfers transfers(String instanceId) {
    return Transfers.NONE;
  }

  @Override
  public void close() {
    // The tiered store owns the memory tier.
  }
}

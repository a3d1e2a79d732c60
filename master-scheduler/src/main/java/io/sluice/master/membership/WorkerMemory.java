package io.sluice.master.membership;

/**
 * A worker's memory as its last heartbeat reported it.
 *
 * @param containersGrantedBytes memory its function containers were granted (their limits)
 * @param containersUsedBytes memory they use
 * @param storeBudgetBytes what its FaaStore may hold in memory now (with {@code
 *     reclaimFromContainers}, a share of granted minus used)
 */
public record WorkerMemory(
    long containersGrantedBytes, long containersUsedBytes, long storeBudgetBytes) {
  public static final WorkerMemory NONE = new WorkerMemory(0, 0, 0);

  public WorkerMemory {
    if (containersGrantedBytes < 0 || containersUsedBytes < 0 || storeBudgetBytes < 0) {
      throw new IllegalArgumentException(
          "containers_memory_granted_bytes, containers_memory_used_bytes and store_budget_bytes"
              + " must not be negative");
    }
  }

  /** Memory the containers were granted and do not use. */
  public long containersUnusedBytes() {
    return Math.max(0, containersGrantedBytes - containersUsedBytes);
  }
}

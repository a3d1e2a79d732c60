package io.sluice.master.partition;

import java.util.Objects;

/**
 * What a worker can take on, as it last reported: free function slots and the memory its FaaStore
 * may use.
 *
 * @param workerId the worker's unique id
 * @param freeSlots functions it can run at once right now
 * @param freeMemoryBytes bytes its FaaStore may keep in memory
 */
public record WorkerCapacity(String workerId, int freeSlots, long freeMemoryBytes) {
  public WorkerCapacity {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isEmpty()) {
      throw new IllegalArgumentException("workerId must not be empty");
    }
    if (freeSlots < 0 || freeMemoryBytes < 0) {
      throw new IllegalArgumentException(
          "worker "
              + workerId
              + ": free slots and memory must not be negative, got slots="
              + freeSlots
              + " memory="
              + freeMemoryBytes);
    }
  }
}

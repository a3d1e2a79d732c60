package io.sluice.master.membership;

import java.util.List;
import java.util.Objects;

/**
 * A worker as it registered: its id, the address of its gRPC server, its capacity, and which run of
 * the worker process it is.
 *
 * @param id the worker's unique id
 * @param address host:port of its WorkerService
 * @param slots functions it runs at once
 * @param memoryBytes its FaaStore budget
 * @param runtimes function runtime kinds it offers
 * @param incarnation the run of the worker process (higher = later; 0 = not given)
 */
public record WorkerInfo(
    String id,
    String address,
    int slots,
    long memoryBytes,
    List<String> runtimes,
    long incarnation) {
  public WorkerInfo {
    Objects.requireNonNull(id, "worker id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("missing or invalid field worker_id (empty)");
    }
    if (address == null || !address.contains(":")) {
      throw new IllegalArgumentException(
          "worker " + id + ": address must be host:port, got '" + address + "'");
    }
    if (slots < 1) {
      throw new IllegalArgumentException("worker " + id + ": slots must be >= 1, got " + slots);
    }
    if (memoryBytes < 0) {
      throw new IllegalArgumentException(
          "worker " + id + ": memory_bytes must not be negative, got " + memoryBytes);
    }
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
  }

  /** A worker that gave no incarnation. */
  public WorkerInfo(String id, String address, int slots, long memoryBytes, List<String> runtimes) {
    this(id, address, slots, memoryBytes, runtimes, 0);
  }

  /** "id (address)", the way messages name a worker. */
  public String describe() {
    return id + " (" + address + ")";
  }
}

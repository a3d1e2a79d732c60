package io.sluice.master.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The workers of one partitioning, sorted by id (so the caller's list order never matters), with
 * how many nodes and how many FaaStore bytes each may take.
 *
 * <p>A worker takes at most its free slots in nodes. When a graph has more nodes than the cluster
 * has free slots (nodes do not all run at once), each worker's share is scaled up in proportion to
 * its free slots so that the shares add up to at least the node count; when no worker reports a
 * free slot, the nodes are shared evenly. No worker takes more than the group size cap.
 */
final class Cluster {
  final String[] ids;
  final int[] freeSlots;
  final int[] nodeCapacity;
  final long[] memoryBudget;

  private Cluster(List<WorkerCapacity> sorted, int nodeCount, PartitionOptions opts) {
    int n = sorted.size();
    ids = new String[n];
    freeSlots = new int[n];
    nodeCapacity = new int[n];
    memoryBudget = new long[n];
    long totalSlots = 0;
    for (int i = 0; i < n; i++) {
      WorkerCapacity w = sorted.get(i);
      ids[i] = w.workerId();
      freeSlots[i] = w.freeSlots();
      totalSlots += w.freeSlots();
      double budget = w.freeMemoryBytes() * opts.faaStoreBudgetFactor();
      memoryBudget[i] = budget >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) budget;
    }
    for (int i = 0; i < n; i++) {
      if (totalSlots == 0) {
        nodeCapacity[i] = (nodeCount + n - 1) / n;
      } else if (nodeCount > totalSlots) {
        nodeCapacity[i] = (int) ((freeSlots[i] * (long) nodeCount + totalSlots - 1) / totalSlots);
      } else {
        nodeCapacity[i] = freeSlots[i];
      }
      nodeCapacity[i] = Math.min(nodeCapacity[i], opts.groupSizeCap());
    }
  }

  static Cluster of(List<WorkerCapacity> workers, int nodeCount, PartitionOptions opts) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException(
          "no workers to place the workflow on: start a worker or wait until one registers");
    }
    List<WorkerCapacity> sorted = new ArrayList<>(workers);
    sorted.sort(Comparator.comparing(WorkerCapacity::workerId));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).workerId().equals(sorted.get(i - 1).workerId())) {
        throw new IllegalArgumentException(
            "worker " + sorted.get(i).workerId() + " is listed twice; worker ids must be unique");
      }
    }
    return new Cluster(sorted, nodeCount, opts);
  }

  int size() {
    return ids.length;
  }

  /** The index of a worker id, or -1. */
  int index(String workerId) {
    int i = Arrays.binarySearch(ids, workerId);
    return i < 0 ? -1 : i;
  }

  /** Whether some worker could hold a group of {@code nodes} nodes and {@code bytes} bytes. */
  boolean fitsOneWorker(int nodes, long bytes) {
    for (int i = 0; i < ids.length; i++) {
      if (nodeCapacity[i] >= nodes && memoryBudget[i] >= bytes) {
        return true;
      }
    }
    return false;
  }

  /** Workers with a free slot, most free slots first (ties by id), {@code first} at the head. */
  List<String> spreadFrom(int first) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      if (i != first && freeSlots[i] > 0) {
        order.add(i);
      }
    }
    order.sort(Comparator.<Integer>comparingInt(i -> -freeSlots[i]).thenComparingInt(i -> i));
    List<String> result = new ArrayList<>(order.size() + 1);
    result.add(ids[first]);
    order.forEach(i -> result.add(ids[i]));
    return result;
  }
}

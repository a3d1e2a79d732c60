package io.sluice.engine.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The parts of running instances this worker took over from dead workers: a shadow engine per dead
 * worker runs them, each with the partition of its own instance's placement. Empty, and one {@code
 * isEmpty} check on the edge path, unless a worker died.
 */
final class AdoptedParts {
  /** A part of an instance taken over from {@code deadWorker}, run by {@code shadow}. */
  record Part(String deadWorker, PartitionedEngine shadow, Partition partition) {
    boolean holds(String nodeId, CompiledWorkflow wf) {
      Integer k = wf.indexOf.get(nodeId);
      return k != null && !partition.remote[k];
    }
  }

  /** Shadow engines by the dead worker they stand in for. */
  private final ConcurrentHashMap<String, PartitionedEngine> shadows = new ConcurrentHashMap<>();

  /** Adopted parts by instance id. */
  private final ConcurrentHashMap<String, List<Part>> byInstance = new ConcurrentHashMap<>();

  /**
   * The shadow engine standing in for {@code deadWorker}, made by {@code create} the first time.
   */
  PartitionedEngine shadow(String deadWorker, Function<String, PartitionedEngine> create) {
    return shadows.computeIfAbsent(deadWorker, create);
  }

  Collection<PartitionedEngine> shadows() {
    return shadows.values();
  }

  void add(String instanceId, Part part) {
    byInstance.compute(
        instanceId,
        (id, list) -> {
          List<Part> out = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
          out.add(part);
          return out;
        });
  }

  /** The adopted part of an instance that holds {@code nodeId}, if any. */
  Part holding(String instanceId, String nodeId, CompiledWorkflow wf) {
    if (byInstance.isEmpty()) {
      return null;
    }
    List<Part> list = byInstance.get(instanceId);
    if (list == null) {
      return null;
    }
    for (Part p : list) {
      if (p.holds(nodeId, wf)) {
        return p;
      }
    }
    return null;
  }

  /** The first part adopted for an instance, or null. */
  Part first(String instanceId) {
    List<Part> list = byInstance.isEmpty() ? null : byInstance.get(instanceId);
    return list == null ? null : list.get(0);
  }

  /** Forgets an instance's adopted parts and answers them (none: an empty list). */
  List<Part> remove(String instanceId) {
    List<Part> list = byInstance.remove(instanceId);
    return list == null ? List.of() : list;
  }

  int count() {
    int n = 0;
    for (List<Part> list : byInstance.values()) {
      n += list.size();
    }
    return n;
  }
}

package io.sluice.master.partition;

import io.sluice.model.WorkflowGraph;
import java.util.List;

/**
 * Decides which worker runs each node of a workflow (docs/design.md, Placement). Implementations
 * are pure functions of their arguments: the same graph, workers and options always give the same
 * placement, whatever the order of {@code workers}. Nested graphs (map iterators, loop bodies,
 * sub-workflows) run on their parent node's worker; a map's iterations may be spread over {@link
 * Placement#mapWorkers()}.
 */
public interface Partitioner {

  /** The name configuration and the wire use for this partitioner. */
  String name();

  /**
   * Places every node of {@code g} on one of {@code workers}.
   *
   * @throws IllegalArgumentException when {@code workers} is empty or names a worker twice
   */
  Placement partition(WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts);

  /**
   * Places {@code g} again after workers joined, left or reported new load: nodes stay where they
   * were when their worker is still in {@code workers} and still has room; the others are placed
   * anew.
   */
  default Placement repartition(
      Placement previous, WorkflowGraph g, List<WorkerCapacity> workers, PartitionOptions opts) {
    return partition(g, workers, opts);
  }

  /** FaaSFlow's grouping along the critical path (see {@link CriticalPathPartitioner}). */
  static Partitioner criticalPath() {
    return new CriticalPathPartitioner();
  }

  /** FaaSFlow's baseline: a node runs on {@code workers[hash(node id) mod n]}. */
  static Partitioner hash() {
    return new HashPartitioner();
  }

  /** The partitioner configured by {@code name} ("critical-path" or "hash"). */
  static Partitioner named(String name) {
    return switch (name) {
      case CriticalPathPartitioner.NAME -> criticalPath();
      case HashPartitioner.NAME -> hash();
      default ->
          throw new IllegalArgumentException(
              "unknown partitioner '"
                  + name
                  + "': use '"
                  + CriticalPathPartitioner.NAME
                  + "' or '"
                  + HashPartitioner.NAME
                  + "'");
    };
  }
}

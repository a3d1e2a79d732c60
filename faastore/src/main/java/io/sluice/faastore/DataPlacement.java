package io.sluice.faastore;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the nodes around a value run, as the worker engine knows from the partition: which worker
 * produced it and which workers run the nodes that consume it.
 */
public interface DataPlacement {

  /** The worker that runs the node that produces {@code key}, when known. */
  Optional<String> producerWorker(DataKey key);

  /** The workers that run nodes consuming {@code key}; may include this worker. */
  Set<String> consumerWorkers(DataKey key);

  /** Every node on {@code worker}: all consumers local, nothing to push. */
  static DataPlacement allOn(String worker) {
    return new DataPlacement() {
      @Override
      public Optional<String> producerWorker(DataKey key) {
        return Optional.of(worker);
      }

      @Override
      public Set<String> consumerWorkers(DataKey key) {
        return Set.of(worker);
      }
    };
  }

  /**
   * A fixed placement: {@code workerOfNode} maps node id to worker, {@code consumersOfNode} maps a
   * producing node id to the ids of the nodes consuming its output.
   */
  static DataPlacement of(
      Map<String, String> workerOfNode, Map<String, Set<String>> consumersOfNode) {
    return new StaticPlacement(Map.copyOf(workerOfNode), Map.copyOf(consumersOfNode));
  }
}

package io.sluice.worker.data;

import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.DataPlacement;
import java.util.Optional;
import java.util.Set;

/**
 * FaaStore's view of where each value is produced and consumed, answered by this worker's engine
 * from the placement of each running instance.
 */
public final class EnginePlacement implements DataPlacement {
  private final WorkerEngine engine;

  public EnginePlacement(WorkerEngine engine) {
    this.engine = engine;
  }

  @Override
  public Optional<String> producerWorker(DataKey key) {
    return engine.workerOf(key.instanceId(), key.nodeId());
  }

  @Override
  public Set<String> consumerWorkers(DataKey key) {
    return engine.consumerWorkersOf(key.instanceId(), key.nodeId());
  }
}

package io.sluice.faastore;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A placement read from two fixed maps; see {@link DataPlacement#of}. */
record StaticPlacement(Map<String, String> workerOfNode, Map<String, Set<String>> consumersOfNode)
    implements DataPlacement {

  @Override
  public Optional<String> producerWorker(DataKey key) {
    return Optional.ofNullable(workerOfNode.get(key.nodeId()));
  }

  @Override
  public Set<String> consumerWorkers(DataKey key) {
    return consumersOfNode.getOrDefault(key.nodeId(), Set.of()).stream()
        .map(workerOfNode::get)
        .filter(w -> w != null)
        .collect(Collectors.toUnmodifiableSet());
  }
}

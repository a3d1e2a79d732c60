package io.sluice.faastore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workers in one JVM: worker id -> that worker's memory store. Values are handed over without a
 * copy, so it shows the routing, not the network; the gRPC transport replaces it in clusters.
 */
public final class InJvmPeerTransport implements PeerTransport {
  private final Map<String, DataStore> workers = new ConcurrentHashMap<>();

  /** Makes {@code store} reachable as worker {@code workerId}. */
  public InJvmPeerTransport register(String workerId, DataStore store) {
    workers.put(workerId, store);
    return this;
  }

  @Override
  public CompletionStage<Void> push(String workerId, DataKey key, Blob value) {
    return worker(workerId).put(key, value);
  }

  @Override
  public CompletionStage<Optional<Blob>> fetch(String workerId, DataKey key) {
    return worker(workerId).get(key);
  }

  @Override
  public CompletionStage<Void> deleteInstance(String workerId, String instanceId) {
    return worker(workerId).deleteInstance(instanceId);
  }

  private DataStore worker(String workerId) {
    DataStore store = workers.get(workerId);
    if (store == null) {
      throw new StoreUnavailableException(
          "no worker '" + workerId + "' in this JVM (known: " + workers.keySet() + ")", null);
    }
    return store;
  }
}

package io.sluice.faastore.grpc;

import java.util.Map;
import java.util.Optional;

/** Where each worker's gRPC server listens ({@code host:port}), as the cluster knows it now. */
@FunctionalInterface
public interface PeerAddresses {

  /** The address of worker {@code workerId}, or empty when the cluster does not know it. */
  Optional<String> addressOf(String workerId);

  /** A fixed worker id → address table. */
  static PeerAddresses of(Map<String, String> addressByWorker) {
    Map<String, String> copy = Map.copyOf(addressByWorker);
    return worker -> Optional.ofNullable(copy.get(worker));
  }
}

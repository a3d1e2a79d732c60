package io.sluice.faastore;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Moves values between workers' memory stores. The in-JVM one ({@link InJvmPeerTransport}) serves
 * tests and embedded runs; the cluster provides one over the peer gRPC stream (chunked, with flow
 * control). Failures carry {@link StoreUnavailableException} when the peer is unreachable.
 */
public interface PeerTransport {

  /**
   * Stores {@code value} in worker {@code workerId}'s memory; completes once it is stored there.
   */
  CompletionStage<Void> push(String workerId, DataKey key, Blob value);

  /** Reads {@code key} from worker {@code workerId}'s memory; empty when it has none. */
  CompletionStage<Optional<Blob>> fetch(String workerId, DataKey key);

  /** Drops every value of {@code instanceId} that was pushed to worker {@code workerId}. */
  CompletionStage<Void> deleteInstance(String workerId, String instanceId);
}

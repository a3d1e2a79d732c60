package io.sluice.faastore;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tiered store's placement decision, a pure function of the value's size, where its consumers
 * run and the configuration:
 *
 * <ul>
 *   <li>all consumers on this worker (or none known): local memory only;
 *   <li>remote consumers and the value is at most {@code peerPushMaxBytes}, or there is no Redis:
 *       push it to each remote consumer's worker;
 *   <li>remote consumers and a larger value with Redis configured: write it to Redis once.
 * </ul>
 *
 * It stays in local memory when a local node consumes it or when it went only to peers (so a
 * consumer whose push was lost can still fetch it from here).
 */
public record RoutePlanner(String localWorker, long peerPushMaxBytes, boolean redisConfigured) {

  public Route plan(long size, Set<String> consumerWorkers) {
    Set<String> remote =
        consumerWorkers.stream()
            .filter(w -> !w.equals(localWorker))
            .collect(Collectors.toUnmodifiableSet());
    boolean localConsumer = consumerWorkers.isEmpty() || consumerWorkers.contains(localWorker);
    if (remote.isEmpty()) {
      return new Route(true, Set.of(), false);
    }
    if (!redisConfigured || size <= peerPushMaxBytes) {
      return new Route(true, remote, false);
    }
    return new Route(localConsumer, Set.of(), true);
  }
}

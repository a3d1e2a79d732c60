package io.sluice.engine.cluster;

import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PartResult;

/**
 * Where a worker engine sends what leaves it: edge events to peer workers, and the end of its part
 * of an instance to the master. Implemented over gRPC (PeerService, ClusterService) by the worker
 * process and in memory by tests.
 */
public interface EventRouter {
  /** Sends an edge event to the worker that holds its target node (at least once). */
  void send(String workerId, EdgeEvent event);

  /** This worker's part of an instance ended. */
  void partFinished(PartResult result);
}

package io.sluice.engine.cluster;

import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PartResult;

/**
 * Where a worker engine sends what leaves it: edge events to peer workers, and the end of its part
 * of an instance to the master. Implemented over gRPC (PeerService, ClusterService) by the worker
 * process and in memory by tests.
 */
public interface EventRouter {
  /**
   * Sends an edge event to the worker that holds its target node (at least once). It may wait in a
   * queue until {@link #flush} on the same thread.
   */
  void send(String workerId, EdgeEvent event);

  /**
   * Sends what {@link #send} queued on this thread. The engine calls it at the end of each drain of
   * an instance's mailbox, so the edge events one drain resolves (a fan-out's branches) travel in
   * one batch per peer instead of a message each.
   */
  default void flush() {}

  /** This worker's part of an instance ended. */
  void partFinished(PartResult result);

  /**
   * An event wait on this worker started or ended: the master indexes it to route events that name
   * no instance (docs/architecture.md, Event routing). Called on the instance's thread, in order
   * per wait; it must not block.
   */
  default void eventWait(io.sluice.engine.events.EventWaitChange change) {}

  /**
   * Routes an event an {@code emit} task made as the cluster routes external events (the master's
   * {@code routeEvent}, docs/events.md): the stage completes with the outcome, or fails when the
   * event could not be handed over (the task then fails, retryably). Null, the default: this router
   * reaches no master (in-memory tests), and the worker routes the event among its own instances.
   */
  default java.util.concurrent.CompletionStage<io.sluice.engine.events.EventOutcome> emit(
      io.cloudevents.CloudEvent event) {
    return null;
  }
}

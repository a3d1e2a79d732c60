package io.sluice.http;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where {@code POST /events} hands each event: the process's router, which says what became of it
 * ({@link EventReceipt}: the instances that took it, held, a duplicate, or unmatched and why). It
 * is called on a Netty I/O thread and must return without blocking; the endpoint writes the reply
 * when the stage completes, so a sink that routes over the network returns the call's future.
 */
@FunctionalInterface
public interface EventSink {
  /**
   * Routes one event.
   *
   * @return completes with the receipt (not accepted: answered 404 with its detail); completing
   *     exceptionally (or throwing) is answered 500
   */
  CompletionStage<EventReceipt> deliver(CloudEvent event);

  /**
   * Routes one event sent by {@code remote} (the connection's peer, for per-client limits and the
   * audit log); throwing {@link EventRefusedException} refuses it with its status. By default the
   * sender is ignored.
   */
  default CompletionStage<EventReceipt> deliver(CloudEvent event, java.net.SocketAddress remote) {
    return deliver(event);
  }

  /**
   * Routes one event sent by {@code remote} as {@code principal} (the name the endpoint's guard
   * established: a token's or a browser session's, {@code anonymous} without tokens). By default
   * the principal is ignored.
   */
  default CompletionStage<EventReceipt> deliver(
      CloudEvent event, java.net.SocketAddress remote, String principal) {
    return deliver(event, remote);
  }

  /** A sink whose routing is already non-blocking and immediate (e.g. posting to a mailbox). */
  static EventSink immediate(Function<CloudEvent, EventReceipt> route) {
    return event -> CompletableFuture.completedFuture(route.apply(event));
  }
}

package io.sluice.http;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Where {@code POST /events} hands each event: the process's router to the instance that waits for
 * it. It is called on a Netty I/O thread and must return without blocking; the endpoint writes the
 * reply when the stage completes, so a sink that forwards over the network returns the call's
 * future.
 */
@FunctionalInterface
public interface EventSink {
  /**
   * Delivers one event.
   *
   * @return completes with true when an instance took the event, false when none accepts it
   *     (answered 404); completing exceptionally (or throwing) is answered 500
   */
  CompletionStage<Boolean> deliver(CloudEvent event);

  /** A sink whose delivery is already non-blocking and immediate (e.g. posting to a mailbox). */
  static EventSink immediate(Predicate<CloudEvent> deliver) {
    return event -> CompletableFuture.completedFuture(deliver.test(event));
  }
}

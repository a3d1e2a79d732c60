package io.sluice.master.events;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.events.EventOutcome;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.OfferEventRequest;
import io.sluice.proto.OfferEventResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The master's two ways of handing an event on: to a named instance, or offered to a worker. */
public final class EventDelivery {
  /** The CloudEvents extension that names the instance an event is for. */
  public static final String INSTANCE_EXTENSION = "sluiceinstance";

  private static final Duration OFFER_DEADLINE = Duration.ofSeconds(10);

  private EventDelivery() {}

  /**
   * Delivers to the instance {@code id} without blocking: completes when its workers (or the
   * master's engine) answer.
   */
  public static CompletionStage<EventOutcome> toInstance(
      Optional<InstanceRun> run, String id, CloudEvent event) {
    if (run.isEmpty()) {
      return CompletableFuture.completedFuture(
          EventOutcome.unmatched("no instance " + id + " on this master"));
    }
    InstanceRun r = run.get();
    if (r.finished()) {
      return CompletableFuture.completedFuture(
          EventOutcome.unmatched("instance " + id + " has ended"));
    }
    return r.deliverAsync(event)
        .thenApply(
            took ->
                took
                    ? EventOutcome.matched(List.of(r.id()))
                    : EventOutcome.unmatched(
                        "no worker of instance " + id + " took it (has it ended?)"));
  }

  /** WorkerService.OfferEvent: the instances on worker {@code w} that took the event. */
  public static CompletionStage<List<String>> offer(
      WorkerClients clients, WorkerInfo w, CloudEvent event) {
    CompletableFuture<List<String>> out = new CompletableFuture<>();
    Futures.addCallback(
        clients
            .future(w, OFFER_DEADLINE)
            .offerEvent(
                OfferEventRequest.newBuilder().setEvent(WireMapper.cloudEvent(event)).build()),
        new FutureCallback<OfferEventResponse>() {
          @Override
          public void onSuccess(OfferEventResponse r) {
            out.complete(List.copyOf(r.getInstanceIdsList()));
          }

          @Override
          public void onFailure(Throwable t) {
            out.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
    return out;
  }
}

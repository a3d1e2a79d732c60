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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The master's two ways of handing an event on: to a named instance, or offered to a worker. */
public final class EventDelivery {
  /** The CloudEvents extension that names the instance an event is for. */
  public static final String INSTANCE_EXTENSION = "sluiceinstance";

  private static final Duration OFFER_DEADLINE = Duration.ofSeconds(10);
  private static final int THREADS = 8;

  private EventDelivery() {}

  /**
   * Threads for deliveries to a named instance (a WorkerSP instance asks each of its workers and
   * waits for the answers): at most {@value #THREADS}; beyond that the caller runs it.
   */
  public static ExecutorService threads() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        THREADS,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "sluice-master-events-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** Delivers to the instance {@code id}; blocks while its workers answer. */
  public static EventOutcome toInstance(Optional<InstanceRun> run, String id, CloudEvent event) {
    if (run.isEmpty()) {
      return EventOutcome.unmatched("no instance " + id + " on this master");
    }
    InstanceRun r = run.get();
    if (r.finished()) {
      return EventOutcome.unmatched("instance " + id + " has ended");
    }
    return r.deliver(event)
        ? EventOutcome.matched(List.of(r.id()))
        : EventOutcome.unmatched("no worker of instance " + id + " took it (has it ended?)");
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

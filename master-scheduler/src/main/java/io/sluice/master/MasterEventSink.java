package io.sluice.master;

import io.cloudevents.CloudEvent;
import io.sluice.engine.events.EventOutcome;
import io.sluice.http.EventReceipt;
import io.sluice.http.EventSink;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code POST /events} on the master's HTTP endpoint hands each event (CloudEvents and
 * platform shapes alike): {@link Master#routeEvent(CloudEvent)}, the one entry point of external
 * events (docs/architecture.md, Event routing) — the instance the event names, else the instances
 * whose waits correlate with it, else held — with its outcome as the reply's receipt. Never blocks:
 * the workers' answers complete the stage; the endpoint bounds it with its delivery timeout.
 */
public final class MasterEventSink implements EventSink {
  private final Master master;

  public MasterEventSink(Master master) {
    this.master = master;
  }

  @Override
  public CompletionStage<EventReceipt> deliver(CloudEvent event) {
    return master.routeEvent(event).thenApply(MasterEventSink::receipt);
  }

  /** An outcome as the endpoint's reply shows it. */
  static EventReceipt receipt(EventOutcome o) {
    return new EventReceipt(o.instances(), o.held(), o.duplicate(), o.detail());
  }
}

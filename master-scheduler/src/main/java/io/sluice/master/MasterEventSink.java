package io.sluice.master;

import io.cloudevents.CloudEvent;
import io.sluice.engine.events.EventOutcome;
import io.sluice.http.EventReceipt;
import io.sluice.http.EventRefusedException;
import io.sluice.http.EventSink;
import io.sluice.master.audit.AuditInterceptor;
import io.sluice.master.audit.AuditLog;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code POST /events} on the master's HTTP endpoint hands each event (CloudEvents and
 * platform shapes alike): {@link Master#routeEvent(CloudEvent)}, the one entry point of external
 * events (docs/architecture.md, Event routing) — the instance the event names, else the instances
 * whose waits correlate with it, else held — with its outcome as the reply's receipt. Never blocks:
 * the workers' answers complete the stage; the endpoint bounds it with its delivery timeout.
 */
public final class MasterEventSink implements EventSink {
  /** The audit log's name of an event delivered over HTTP. */
  static final String HTTP_EVENTS = "HTTP /events";

  private final Master master;

  public MasterEventSink(Master master) {
    this.master = master;
  }

  @Override
  public CompletionStage<EventReceipt> deliver(CloudEvent event) {
    return master.routeEvent(event).thenApply(MasterEventSink::receipt);
  }

  @Override
  public CompletionStage<EventReceipt> deliver(CloudEvent event, SocketAddress remote) {
    return deliver(event, remote, AuditLog.ANONYMOUS);
  }

  /**
   * Checks the sender's event rate ({@code limits.eventsPerSecond}: 429 with Retry-After over it;
   * one bucket per principal when clients authenticate, else per host), routes the event and writes
   * its audit line, with the principal, when it is answered.
   */
  @Override
  public CompletionStage<EventReceipt> deliver(
      CloudEvent event, SocketAddress remote, String principal) {
    String from = AuditInterceptor.address(remote);
    String who = principal == null ? AuditLog.ANONYMOUS : principal;
    Map<String, String> what = new LinkedHashMap<>();
    what.put("eventType", event.getType());
    what.put("eventId", event.getId());
    String bucket = who.equals(AuditLog.ANONYMOUS) ? AuditInterceptor.host(remote) : who;
    long wait = master.admission().eventRate(bucket);
    if (wait > 0) {
      AuditLog.write(HTTP_EVENTS, who, from, what, "429");
      throw new EventRefusedException(429, wait, master.admission().rateRefusal(bucket, wait));
    }
    CompletionStage<EventReceipt> routed;
    try {
      routed = deliver(event);
    } catch (RuntimeException e) {
      AuditLog.write(HTTP_EVENTS, who, from, what, "error: " + e.getClass().getSimpleName());
      throw e;
    }
    return routed.whenComplete(
        (r, e) ->
            AuditLog.write(
                HTTP_EVENTS,
                who,
                from,
                what,
                e != null ? "error: " + e.getClass().getSimpleName() : r.result()));
  }

  /** An outcome as the endpoint's reply shows it. */
  static EventReceipt receipt(EventOutcome o) {
    return new EventReceipt(o.instances(), o.held(), o.duplicate(), o.detail());
  }
}

package io.sluice.master;

import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.http.EventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where external events enter the master: {@code POST /events} on the master's HTTP endpoint hands
 * each event here (so would any other event source of the master), and it routes it with {@link
 * Master#sendEventAsync} — to the instance the subject names, else to every running instance. This
 * is the one place to change how an event that names no instance is routed. Never blocks: the
 * workers' answers complete the stage.
 */
public final class MasterEventSink implements EventSink {
  private final Master master;

  public MasterEventSink(Master master) {
    this.master = master;
  }

  /** True when an instance took the event; false when none did or the subject names none known. */
  @Override
  public CompletionStage<Boolean> deliver(CloudEvent event) {
    try {
      return master.sendEventAsync(event, null).thenApply(ids -> !ids.isEmpty());
    } catch (NotFoundException e) {
      return CompletableFuture.completedFuture(false); // the subject names no instance we know
    }
  }
}

package io.sluice.master.events;

import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where the master forwards an event that names no instance: a worker (WorkerService.OfferEvent) or
 * a MasterSP engine of the master's own. It answers the top-level instances that took the event.
 */
public interface EventTarget {
  CompletionStage<List<String>> offer(CloudEvent event);
}

package io.sluice.master.source;

import io.cloudevents.CloudEvent;
import io.sluice.engine.events.EventOutcome;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where a stream source hands its events: the master's routing ({@code Master.routeEvent}), which
 * completes when routing is done; {@code onExpired} hears of an event that was held and whose hold
 * time ended unmatched.
 */
@FunctionalInterface
public interface SourceSink {
  CompletionStage<EventOutcome> route(CloudEvent event, Consumer<CloudEvent> onExpired);
}

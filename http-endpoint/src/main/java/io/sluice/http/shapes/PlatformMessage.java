package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.Objects;

/**
 * What one platform payload turned out to be: events to deliver, or a handshake the platform
 * expects an answer to (an SNS subscription confirmation, an Event Grid validation event) that
 * carries no event.
 */
public sealed interface PlatformMessage {
  /** The name of the shape that read it, e.g. {@code aws-s3}. */
  String shape();

  /**
   * The payload's events, in payload order, as CloudEvents 1.0 (docs/events.md has the mapping).
   */
  record Events(String shape, List<CloudEvent> events) implements PlatformMessage {
    public Events {
      Objects.requireNonNull(shape, "shape");
      events = List.copyOf(events);
    }
  }

  /**
   * A control message of the platform, not an event.
   *
   * @param kind what it is, e.g. {@code SubscriptionConfirmation}
   * @param reply the JSON body to answer with (HTTP 200); for Event Grid it holds the {@code
   *     validationResponse} the platform checks
   * @param note one line for the operator's log: what arrived and what, if anything, to do
   */
  record Handshake(String shape, String kind, ObjectNode reply, String note)
      implements PlatformMessage {
    public Handshake {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reply, "reply");
      Objects.requireNonNull(note, "note");
    }
  }
}

package io.sluice.engine.events;

import io.cloudevents.CloudEvent;
import java.util.Objects;

/**
 * What an event wait waits for, as the routers see it: an event type and, for a wait with a
 * correlation key ({@code correlate} in the definition), the attribute and the value it must have.
 * A wait without a key ({@code attribute} null) can only be found by its type.
 *
 * @param eventType the CloudEvent type
 * @param attribute {@code subject}, an extension name, or null for a wait without a key
 * @param value the text the attribute must have (null exactly when {@code attribute} is)
 */
public record WaitKey(String eventType, String attribute, String value) {
  public static final String SUBJECT = "subject";

  public WaitKey {
    Objects.requireNonNull(eventType, "eventType");
    if ((attribute == null) != (value == null)) {
      throw new IllegalArgumentException(
          "a wait key has both an attribute and a value, or neither");
    }
  }

  /** A wait found only by its event type. */
  public static WaitKey unkeyed(String eventType) {
    return new WaitKey(eventType, null, null);
  }

  public boolean keyed() {
    return attribute != null;
  }

  /** The text of {@code attribute} on the event: its subject or an extension, or null. */
  public static String valueOf(CloudEvent event, String attribute) {
    if (SUBJECT.equals(attribute)) {
      return event.getSubject();
    }
    Object v = event.getExtension(attribute);
    return v == null ? null : v.toString();
  }

  /** Whether the event has this key's type and, for a keyed wait, the attribute's value. */
  public boolean matches(CloudEvent event) {
    return eventType.equals(event.getType())
        && (attribute == null || value.equals(valueOf(event, attribute)));
  }

  @Override
  public String toString() {
    return attribute == null ? eventType : eventType + "[" + attribute + "=" + value + "]";
  }
}

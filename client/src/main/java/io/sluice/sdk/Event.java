package io.sluice.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A CloudEvent to deliver to waiting instances ({@link SluiceClient#sendEvent}). Build one with
 * {@link #of(String, String)}; its id is random unless set, and the master drops a second event
 * with the same source and id, so a send retried after a lost answer is delivered once.
 *
 * @param instanceId the instance to deliver to; null = the instance the event names (extension
 *     {@code sluiceinstance}, or a subject that is an instance id), else every instance whose event
 *     wait correlates with it
 * @param data the event's JSON data (null = none)
 * @param extensions string extension attributes
 */
public record Event(
    String id,
    String source,
    String type,
    String subject,
    Instant time,
    JsonNode data,
    Map<String, String> extensions,
    String instanceId) {
  public Event {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("an event needs a type");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("an event needs a source (a URI reference)");
    }
    id = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    extensions = Map.copyOf(extensions == null ? Map.of() : extensions);
  }

  /** An event of {@code type} from {@code source}, with a random id and nothing else. */
  public static Event of(String type, String source) {
    return new Event(null, source, type, null, null, null, Map.of(), null);
  }

  public Event id(String eventId) {
    return new Event(eventId, source, type, subject, time, data, extensions, instanceId);
  }

  public Event subject(String s) {
    return new Event(id, source, type, s, time, data, extensions, instanceId);
  }

  public Event time(Instant t) {
    return new Event(id, source, type, subject, t, data, extensions, instanceId);
  }

  /** The data: a JsonNode, or any value Jackson can write (a Map, a record, ...). */
  public Event data(Object value) {
    return new Event(id, source, type, subject, time, Json.tree(value), extensions, instanceId);
  }

  public Event extension(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Event(id, source, type, subject, time, data, more, instanceId);
  }

  /** Delivers the event to this instance only. */
  public Event toInstance(String id) {
    return new Event(this.id, source, type, subject, time, data, extensions, id);
  }
}

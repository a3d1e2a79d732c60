package io.sluice.master.source;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.model.EventWaitNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code format: data}: the entry's fields are the event's attributes and its data, e.g. {@code
 * XADD orders * type order.paid subject A-1 data '{"amount":12}' region eu}. Fields {@code type}
 * (else the source's {@code eventType}), {@code id} (default {@code STREAM/ENTRY-ID}, stable across
 * redeliveries), {@code source} (default {@code redis-stream:STREAM}), {@code subject}, {@code
 * time} (RFC 3339) and {@code data} (JSON, else text) are the CloudEvent's; every other field is an
 * extension attribute and must be named like one (lower-case letters and digits).
 */
final class DataEntryDecoder implements EntryDecoder {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final String eventType;

  DataEntryDecoder(String eventType) {
    this.eventType = eventType;
  }

  @Override
  public CloudEvent decode(StreamEntry entry) throws MalformedEntryException {
    Map<String, String> f = entry.fields();
    String type = f.getOrDefault("type", eventType);
    if (type == null || type.isBlank()) {
      throw new MalformedEntryException(
          "no field 'type' and the source has no eventType; the entry has " + f.keySet());
    }
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withType(type)
            .withId(f.getOrDefault("id", entry.stream() + "/" + entry.id()));
    try {
      b.withSource(URI.create(f.getOrDefault("source", "redis-stream:" + entry.stream())));
    } catch (IllegalArgumentException e) {
      throw new MalformedEntryException("field 'source' is not a URI: " + f.get("source"));
    }
    if (f.containsKey("subject")) {
      b.withSubject(f.get("subject"));
    }
    if (f.containsKey("time")) {
      try {
        b.withTime(OffsetDateTime.parse(f.get("time")));
      } catch (DateTimeParseException e) {
        throw new MalformedEntryException("field 'time' is not RFC 3339: " + f.get("time"));
      }
    }
    String data = f.get("data");
    if (data != null) {
      boolean json = looksJson(data);
      b.withData(json ? "application/json" : "text/plain", data.getBytes(StandardCharsets.UTF_8));
    }
    for (Map.Entry<String, String> e : f.entrySet()) {
      String name = e.getKey();
      if (EventWaitNode.Correlate.CORE_ATTRIBUTES.contains(name)) {
        continue;
      }
      if (!EventWaitNode.Correlate.EXTENSION_NAME.matcher(name).matches()) {
        throw new MalformedEntryException(
            "field '"
                + name
                + "' is neither a CloudEvent attribute nor an extension name (1-20 lower-case"
                + " letters or digits)");
      }
      b.withExtension(name, e.getValue());
    }
    return b.build();
  }

  private static boolean looksJson(String s) {
    try {
      JSON.readTree(s);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}

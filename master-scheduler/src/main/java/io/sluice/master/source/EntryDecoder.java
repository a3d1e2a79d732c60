package io.sluice.master.source;

import io.cloudevents.CloudEvent;

/**
 * Turns a stream entry into the CloudEvent it carries. One per {@code format} of a source ({@link
 * #of}); this is also where an entry in a platform's own shape (an S3 notification, a Pub/Sub
 * message, ...) would be normalized into a CloudEvent: a decoder that reads the shape, named by a
 * new {@code format}.
 */
public interface EntryDecoder {
  CloudEvent decode(StreamEntry entry) throws MalformedEntryException;

  /**
   * The decoder of a source's {@code format}: {@code cloudevent} ({@link CloudEventEntryDecoder})
   * or {@code data} ({@link DataEntryDecoder}, {@code eventType} the type of entries without one).
   */
  static EntryDecoder of(String format, String eventType) {
    return switch (format) {
      case "cloudevent" -> new CloudEventEntryDecoder();
      case "data" -> new DataEntryDecoder(eventType);
      default -> throw new IllegalArgumentException("unknown source format '" + format + "'");
    };
  }
}

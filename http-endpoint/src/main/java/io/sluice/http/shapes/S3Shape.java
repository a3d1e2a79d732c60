package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * AWS S3 event notifications ({@code {"Records": [...]}} with {@code eventSource} {@code aws:s3},
 * or another {@code *:s3} of an S3-compatible store): one CloudEvent per record, mapped as the
 * CloudEvents AWS S3 adapter does, with the object's sequencer added to the id because one request
 * (a multi-object delete) yields several records.
 */
final class S3Shape implements PlatformShape {
  static final String NAME = "aws-s3";
  static final String TYPE_PREFIX = "com.amazonaws.s3.";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "AWS S3 event notification: {\"Records\": [...]} with eventSource aws:s3";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    String source = Fields.optText(Records.first(body), "eventSource");
    return source != null && source.endsWith(":s3");
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    JsonNode records = Records.of(body, NAME, "S3 event notification");
    List<CloudEvent> events = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      events.add(record(records.get(i), NAME + " record " + i));
    }
    return new PlatformMessage.Events(NAME, events);
  }

  private static CloudEvent record(JsonNode r, String where) throws PlatformShapeException {
    String eventSource = Fields.text(r, "eventSource", where);
    if (!eventSource.endsWith(":s3")) {
      throw new PlatformShapeException(
          where + ": eventSource is '" + eventSource + "', not aws:s3 (or another *:s3)");
    }
    String requestId = Fields.text(r, "responseElements.x-amz-request-id", where);
    StringJoiner id = new StringJoiner(".").add(requestId);
    addIfPresent(id, Fields.optText(r, "responseElements.x-amz-id-2"));
    addIfPresent(id, Fields.optText(r, "s3.object.sequencer"));
    StringJoiner source = new StringJoiner(".").add(eventSource);
    addIfPresent(source, Fields.optText(r, "awsRegion"));
    source.add(Fields.text(r, "s3.bucket.name", where));
    return Events.of(
        where,
        id.toString(),
        source.toString(),
        TYPE_PREFIX + Fields.text(r, "eventName", where),
        Fields.text(r, "s3.object.key", where),
        Fields.time(Fields.text(r, "eventTime", where), "eventTime", where),
        r);
  }

  private static void addIfPresent(StringJoiner j, String part) {
    if (part != null) {
      j.add(part);
    }
  }
}

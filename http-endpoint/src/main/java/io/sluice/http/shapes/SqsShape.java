package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Amazon SQS messages: the {@code Records[]} of the event SQS gives a Lambda function ({@code
 * eventSource} {@code aws:sqs}), a bare message as {@code ReceiveMessage} returns it ({@code
 * MessageId}, {@code ReceiptHandle}, {@code Body}, ...) or that response's {@code Messages[]}. One
 * CloudEvent per message; a bare message names no queue, so its source is {@code aws:sqs}.
 */
final class SqsShape implements PlatformShape {
  static final String NAME = "aws-sqs";
  static final String TYPE = "com.amazonaws.sqs.message";
  static final String BARE_SOURCE = "aws:sqs";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Amazon SQS message: Lambda event {\"Records\": [...]} with eventSource aws:sqs,"
        + " a ReceiveMessage message {\"MessageId\", \"ReceiptHandle\", \"Body\", ...}"
        + " or {\"Messages\": [...]}";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    if ("aws:sqs".equals(Fields.optText(Records.first(body), "eventSource"))) {
      return true;
    }
    JsonNode messages = body == null ? null : body.get("Messages");
    JsonNode m =
        messages != null && messages.isArray() && !messages.isEmpty() ? messages.get(0) : body;
    return isBare(m);
  }

  private static boolean isBare(JsonNode m) {
    return m != null
        && m.isObject()
        && Fields.optText(m, "MessageId") != null
        && m.has("ReceiptHandle")
        && m.has("Body");
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    List<CloudEvent> events = new ArrayList<>();
    if (body != null && body.isObject() && body.has("Records")) {
      JsonNode records = Records.of(body, NAME, "SQS event for Lambda");
      for (int i = 0; i < records.size(); i++) {
        events.add(record(records.get(i), NAME + " record " + i));
      }
    } else if (body != null && body.isObject() && body.has("Messages")) {
      JsonNode messages = body.get("Messages");
      if (!messages.isArray()) {
        throw new PlatformShapeException(
            NAME + ": \"Messages\" must be an array, got " + Fields.kind(messages));
      }
      for (int i = 0; i < messages.size(); i++) {
        events.add(bare(messages.get(i), NAME + " message " + i));
      }
    } else if (isBare(body)) {
      events.add(bare(body, NAME + " message"));
    } else {
      throw new PlatformShapeException(
          NAME
              + ": expected a Lambda SQS event {\"Records\": [...]}, a message with MessageId,"
              + " ReceiptHandle and Body, or {\"Messages\": [...]}; got "
              + Records.describe(body));
    }
    return new PlatformMessage.Events(NAME, events);
  }

  private static CloudEvent record(JsonNode r, String where) throws PlatformShapeException {
    String source = Fields.text(r, "eventSource", where);
    if (!source.equals("aws:sqs")) {
      throw new PlatformShapeException(where + ": eventSource is '" + source + "', not aws:sqs");
    }
    requireBody(r, "body", where);
    return Events.of(
        where,
        Fields.text(r, "messageId", where),
        Fields.text(r, "eventSourceARN", where),
        TYPE,
        Fields.optText(r, "attributes.MessageGroupId"),
        Fields.epochMillis(
            Fields.optText(r, "attributes.SentTimestamp"), "attributes.SentTimestamp", where),
        r);
  }

  private static CloudEvent bare(JsonNode m, String where) throws PlatformShapeException {
    if (m == null || !m.isObject()) {
      throw new PlatformShapeException(where + ": expected an object, got " + Fields.kind(m));
    }
    requireBody(m, "Body", where);
    return Events.of(
        where,
        Fields.text(m, "MessageId", where),
        BARE_SOURCE,
        TYPE,
        Fields.optText(m, "Attributes.MessageGroupId"),
        Fields.epochMillis(
            Fields.optText(m, "Attributes.SentTimestamp"), "Attributes.SentTimestamp", where),
        m);
  }

  private static void requireBody(JsonNode m, String field, String where)
      throws PlatformShapeException {
    JsonNode b = m.get(field);
    if (b == null || !b.isTextual()) {
      throw new PlatformShapeException(
          where + ": missing required field '" + field + "' (the message body, a string)");
    }
  }
}

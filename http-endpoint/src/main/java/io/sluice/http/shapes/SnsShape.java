package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Amazon SNS messages: the JSON document SNS POSTs to an HTTP(S) subscription, and the {@code
 * Records[].Sns} of the event SNS gives a Lambda function. A {@code Notification} becomes one
 * CloudEvent; a {@code SubscriptionConfirmation} is answered, never confirmed by calling its
 * SubscribeURL (the operator confirms), and an {@code UnsubscribeConfirmation} is acknowledged.
 */
final class SnsShape implements PlatformShape {
  static final String NAME = "aws-sns";
  static final String TYPE_PREFIX = "com.amazonaws.sns.";
  static final String MESSAGE_TYPE_HEADER = "x-amz-sns-message-type";
  private static final Set<String> TYPES =
      Set.of("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Amazon SNS HTTP(S) message ({\"Type\": \"Notification\", \"TopicArn\": ...}) or"
        + " Lambda event ({\"Records\": [{\"EventSource\": \"aws:sns\", \"Sns\": ...}]})";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    if (headers.containsKey(MESSAGE_TYPE_HEADER)) {
      return true;
    }
    if ("aws:sns".equals(Fields.optText(Records.first(body), "EventSource"))) {
      return true;
    }
    String type = Fields.optText(body, "Type");
    return type != null && TYPES.contains(type) && Fields.optText(body, "TopicArn") != null;
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    if (body != null && body.isObject() && body.has("Records")) {
      JsonNode records = Records.of(body, NAME, "SNS event for Lambda");
      List<CloudEvent> events = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        String where = NAME + " record " + i;
        JsonNode r = records.get(i);
        String source = Fields.text(r, "EventSource", where);
        if (!source.equals("aws:sns")) {
          throw new PlatformShapeException(
              where + ": EventSource is '" + source + "', not aws:sns");
        }
        JsonNode sns = Fields.at(r, "Sns");
        if (sns == null || !sns.isObject()) {
          throw new PlatformShapeException(where + ": missing required object 'Sns'");
        }
        events.add(notification(sns, where + " Sns"));
      }
      return new PlatformMessage.Events(NAME, events);
    }
    if (body == null || !body.isObject()) {
      throw new PlatformShapeException(
          NAME + ": expected an SNS message (a JSON object), got " + Fields.kind(body));
    }
    String type = Fields.text(body, "Type", NAME + " message");
    return switch (type) {
      case "Notification" ->
          new PlatformMessage.Events(NAME, List.of(notification(body, NAME + " message")));
      case "SubscriptionConfirmation" -> confirmation(body);
      case "UnsubscribeConfirmation" ->
          handshake(
              body,
              type,
              "acknowledged; this endpoint no longer gets messages of that topic",
              "SNS unsubscribed this endpoint from topic " + Fields.optText(body, "TopicArn"));
      default ->
          throw new PlatformShapeException(
              NAME
                  + " message: unknown Type '"
                  + type
                  + "'; SNS sends "
                  + String.join(", ", TYPES));
    };
  }

  private static CloudEvent notification(JsonNode m, String where) throws PlatformShapeException {
    String type = Fields.text(m, "Type", where);
    if (!type.equals("Notification")) {
      throw new PlatformShapeException(where + ": Type is '" + type + "', not Notification");
    }
    return Events.of(
        where,
        Fields.text(m, "MessageId", where),
        Fields.text(m, "TopicArn", where),
        TYPE_PREFIX + type,
        Fields.optText(m, "Subject"),
        Fields.time(Fields.text(m, "Timestamp", where), "Timestamp", where),
        m);
  }

  private static PlatformMessage confirmation(JsonNode m) throws PlatformShapeException {
    String where = NAME + " SubscriptionConfirmation";
    String topic = Fields.text(m, "TopicArn", where);
    String url = Fields.text(m, "SubscribeURL", where);
    String token = Fields.optText(m, "Token");
    String howTo =
        "Sluice does not confirm SNS subscriptions by itself; to receive this topic's messages,"
            + " open the SubscribeURL or run: aws sns confirm-subscription --topic-arn "
            + topic
            + " --token "
            + (token == null ? "TOKEN" : token);
    ObjectNode reply = base(m, "SubscriptionConfirmation", "not confirmed", howTo);
    reply.put("subscribeURL", url);
    return new PlatformMessage.Handshake(
        NAME,
        "SubscriptionConfirmation",
        reply,
        "SNS asks to confirm a subscription of this endpoint to topic "
            + topic
            + " (not confirmed): "
            + howTo
            + " (SubscribeURL "
            + url
            + ")");
  }

  private static PlatformMessage handshake(JsonNode m, String kind, String result, String note) {
    return new PlatformMessage.Handshake(NAME, kind, base(m, kind, result, null), note);
  }

  private static ObjectNode base(JsonNode m, String kind, String result, String message) {
    ObjectNode reply = Events.JSON.createObjectNode();
    reply.put("shape", NAME).put("type", kind).put("result", result);
    String topic = Fields.optText(m, "TopicArn");
    if (topic != null) {
      reply.put("topicArn", topic);
    }
    if (message != null) {
      reply.put("message", message);
    }
    return reply;
  }
}

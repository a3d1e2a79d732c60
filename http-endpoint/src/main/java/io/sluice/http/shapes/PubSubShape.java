package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google Cloud Pub/Sub push requests ({@code {"message": {"data", "attributes", "messageId",
 * "publishTime"}, "subscription": ...}}): one CloudEvent of Google's type for a published message.
 * A message whose attributes hold a CloudEvent in binary mode ({@code ce-specversion}, {@code
 * ce-id}, ...: binary mode carried in message attributes) is read as that event, its data the
 * decoded message data.
 */
final class PubSubShape implements PlatformShape {
  static final String NAME = "gcp-pubsub";
  static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";
  static final String SOURCE_PREFIX = "//pubsub.googleapis.com/";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Google Cloud Pub/Sub push request: {\"message\": {...}, \"subscription\": ...}";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    JsonNode m = body == null ? null : body.get("message");
    return m != null && m.isObject() && Fields.optText(body, "subscription") != null;
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    String where = NAME + " push request";
    if (body == null || !body.isObject()) {
      throw new PlatformShapeException(
          where + ": expected a JSON object, got " + Fields.kind(body));
    }
    JsonNode m = body.get("message");
    if (m == null || !m.isObject()) {
      throw new PlatformShapeException(where + ": missing required object 'message'");
    }
    Map<String, String> attributes = attributes(m, where);
    if (CloudEventReader.isBinary(attributes)) {
      CloudEvent e =
          CloudEventReader.binary(
              attributes,
              data(m, where),
              NAME + " message in CloudEvents binary mode",
              "attributes");
      return new PlatformMessage.Events(NAME, List.of(e));
    }
    String id = first(m, "messageId", "message_id");
    if (id == null) {
      throw new PlatformShapeException(
          where + ": missing required field 'message.messageId' (a non-empty string)");
    }
    String published = first(m, "publishTime", "publish_time");
    CloudEvent e =
        Events.of(
            where,
            id,
            SOURCE_PREFIX + Fields.text(body, "subscription", where),
            TYPE,
            null,
            Fields.time(published, "message.publishTime", where),
            body);
    return new PlatformMessage.Events(NAME, List.of(e));
  }

  private static String first(JsonNode m, String field, String alias) {
    String v = Fields.optText(m, field);
    return v != null ? v : Fields.optText(m, alias);
  }

  private static Map<String, String> attributes(JsonNode m, String where)
      throws PlatformShapeException {
    JsonNode a = m.get("attributes");
    Map<String, String> out = new LinkedHashMap<>();
    if (a == null || a.isNull()) {
      return out;
    }
    if (!a.isObject()) {
      throw new PlatformShapeException(
          where + ": 'message.attributes' must be an object of strings, got " + Fields.kind(a));
    }
    var it = a.fields();
    while (it.hasNext()) {
      var e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static byte[] data(JsonNode m, String where) throws PlatformShapeException {
    String text = Fields.optText(m, "data");
    if (text == null) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new PlatformShapeException(where + ": 'message.data' is not base64: " + e.getMessage());
    }
  }
}

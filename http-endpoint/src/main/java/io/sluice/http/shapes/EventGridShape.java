package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Azure Event Grid deliveries: an array (or one object) of events in the Event Grid schema ({@code
 * id}, {@code topic}, {@code subject}, {@code eventType}, {@code eventTime}, {@code data}) or in
 * the CloudEvents 1.0 schema (read as they are). The subscription validation event is answered with
 * its {@code validationResponse} (the synchronous handshake: a reply, no call out); a
 * subscription-deleted event is acknowledged.
 */
final class EventGridShape implements PlatformShape {
  static final String NAME = "azure-eventgrid";
  static final String VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";
  static final String DELETED = "Microsoft.EventGrid.SubscriptionDeletedEvent";
  static final String EVENT_TYPE_HEADER = "aeg-event-type";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Azure Event Grid delivery: [{\"id\", \"topic\", \"subject\", \"eventType\","
        + " \"eventTime\", \"data\", ...}] (Event Grid schema) or CloudEvents 1.0 schema";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    if (headers.containsKey(EVENT_TYPE_HEADER)) {
      return true;
    }
    JsonNode first = body != null && body.isArray() && !body.isEmpty() ? body.get(0) : null;
    return Fields.optText(first, "eventType") != null && Fields.optText(first, "id") != null;
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    List<JsonNode> elements = new ArrayList<>();
    if (body != null && body.isArray()) {
      body.forEach(elements::add);
    } else if (body != null && body.isObject()) {
      elements.add(body);
    } else {
      throw new PlatformShapeException(
          NAME + ": expected an array of events (or one event object), got " + Fields.kind(body));
    }
    List<CloudEvent> events = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      JsonNode e = elements.get(i);
      String where = NAME + " event " + i;
      if (e != null && e.isObject() && e.has("specversion")) {
        events.add(CloudEventReader.structured(e, where + ": "));
        continue;
      }
      if (e == null || !e.isObject()) {
        throw new PlatformShapeException(where + ": expected an object, got " + Fields.kind(e));
      }
      String type = Fields.text(e, "eventType", where);
      if (type.equals(VALIDATION) || type.equals(DELETED)) {
        if (elements.size() != 1) {
          throw new PlatformShapeException(
              where + ": a " + type + " must come alone, this delivery has " + elements.size());
        }
        return type.equals(VALIDATION) ? validation(e, where) : deleted(e);
      }
      events.add(
          Events.of(
              where,
              Fields.text(e, "id", where),
              Fields.text(e, "topic", where),
              type,
              Fields.optText(e, "subject"),
              Fields.time(Fields.text(e, "eventTime", where), "eventTime", where),
              e));
    }
    return new PlatformMessage.Events(NAME, events);
  }

  private static PlatformMessage validation(JsonNode e, String where)
      throws PlatformShapeException {
    String code = Fields.text(e, "data.validationCode", where);
    ObjectNode reply = Events.JSON.createObjectNode().put("validationResponse", code);
    String url = Fields.optText(e, "data.validationUrl");
    return new PlatformMessage.Handshake(
        NAME,
        "SubscriptionValidation",
        reply,
        "Event Grid validated a subscription of this endpoint to topic "
            + Fields.optText(e, "topic")
            + " (answered its validationCode"
            + (url == null ? "" : "; validationUrl " + url + " was not called")
            + ")");
  }

  private static PlatformMessage deleted(JsonNode e) {
    ObjectNode reply =
        Events.JSON
            .createObjectNode()
            .put("shape", NAME)
            .put("type", "SubscriptionDeleted")
            .put("result", "acknowledged");
    return new PlatformMessage.Handshake(
        NAME,
        "SubscriptionDeleted",
        reply,
        "Event Grid deleted a subscription of this endpoint to topic "
            + Fields.optText(e, "topic"));
  }
}

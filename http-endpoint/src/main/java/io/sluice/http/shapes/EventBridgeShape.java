package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Amazon EventBridge events ({@code id}, {@code source}, {@code detail-type}, {@code time}, {@code
 * detail}, ...), as an API destination or a target receives them: one CloudEvent whose type is the
 * detail-type and whose subject is the first of {@code resources}.
 */
final class EventBridgeShape implements PlatformShape {
  static final String NAME = "aws-eventbridge";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Amazon EventBridge event: {\"id\", \"source\", \"detail-type\", \"detail\", ...}";
  }

  @Override
  public boolean matches(JsonNode body, Map<String, String> headers) {
    return body != null
        && body.isObject()
        && Fields.optText(body, "detail-type") != null
        && Fields.optText(body, "source") != null
        && body.has("detail");
  }

  @Override
  public PlatformMessage read(JsonNode body, Map<String, String> headers)
      throws PlatformShapeException {
    String where = NAME + " event";
    if (body == null || !body.isObject()) {
      throw new PlatformShapeException(
          where + ": expected a JSON object, got " + Fields.kind(body));
    }
    if (!body.has("detail")) {
      throw new PlatformShapeException(where + ": missing required field 'detail'");
    }
    JsonNode resources = body.get("resources");
    String subject =
        resources != null
                && resources.isArray()
                && !resources.isEmpty()
                && resources.get(0).isTextual()
            ? resources.get(0).asText()
            : null;
    return new PlatformMessage.Events(
        NAME,
        List.of(
            Events.of(
                where,
                Fields.text(body, "id", where),
                Fields.text(body, "source", where),
                Fields.text(body, "detail-type", where),
                subject,
                Fields.time(Fields.optText(body, "time"), "time", where),
                body)));
  }
}

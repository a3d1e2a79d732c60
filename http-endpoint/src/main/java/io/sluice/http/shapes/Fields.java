package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Field access for the shapes: dotted paths, and errors that name the element and the field. */
final class Fields {
  private Fields() {}

  /** The node at a dotted path ({@code s3.bucket.name}), or null when any step is missing. */
  static JsonNode at(JsonNode node, String path) {
    JsonNode n = node;
    for (String step : path.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(step);
    }
    return n;
  }

  /** The text at a path, or null when it is missing, not a string or blank. */
  static String optText(JsonNode node, String path) {
    JsonNode n = at(node, path);
    return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
  }

  /** The text at a path; an error naming {@code where} and the path when it is not there. */
  static String text(JsonNode node, String path, String where) throws PlatformShapeException {
    String v = optText(node, path);
    if (v == null) {
      throw new PlatformShapeException(
          where + ": missing required field '" + path + "' (a non-empty string)");
    }
    return v;
  }

  /** An RFC 3339 time ({@code 2024-05-01T10:00:00.123Z}), or null for null text. */
  static OffsetDateTime time(String text, String path, String where) throws PlatformShapeException {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new PlatformShapeException(
          where + ": field '" + path + "' is not an RFC 3339 time: '" + text + "'");
    }
  }

  /** Milliseconds since the epoch as text (SQS's {@code SentTimestamp}), or null for null. */
  static OffsetDateTime epochMillis(String text, String path, String where)
      throws PlatformShapeException {
    if (text == null) {
      return null;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(text.trim())).atOffset(ZoneOffset.UTC);
    } catch (NumberFormatException e) {
      throw new PlatformShapeException(
          where + ": field '" + path + "' is not milliseconds since the epoch: '" + text + "'");
    }
  }

  /** The JSON type of a node for messages: object, array, string, number, ... */
  static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}

package io.sluice.http.shapes;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code {"Records": [...]}} envelope AWS uses for S3 notifications and Lambda events. */
final class Records {
  private Records() {}

  /** The first record, or null when the body has no non-empty {@code Records} array. */
  static JsonNode first(JsonNode body) {
    JsonNode records = body == null ? null : body.get("Records");
    return records != null && records.isArray() && !records.isEmpty() ? records.get(0) : null;
  }

  /** The {@code Records} array; an error naming the shape when there is none. */
  static JsonNode of(JsonNode body, String shape, String what) throws PlatformShapeException {
    JsonNode records = body != null && body.isObject() ? body.get("Records") : null;
    if (records == null || !records.isArray()) {
      throw new PlatformShapeException(
          shape
              + ": expected an object with a \"Records\" array ("
              + what
              + "), got "
              + describe(body));
    }
    return records;
  }

  /** What a payload is, for messages: {@code an object with fields a, b}, {@code array}, ... */
  static String describe(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Fields.kind(body);
    }
    return body.isEmpty() ? "an empty object" : "an object with fields " + fieldNames(body);
  }

  private static String fieldNames(JsonNode obj) {
    StringBuilder b = new StringBuilder();
    obj.fieldNames()
        .forEachRemaining(
            n -> {
              if (b.length() < 200) {
                b.append(b.length() == 0 ? "" : ", ").append(n);
              }
            });
    return b.toString();
  }
}

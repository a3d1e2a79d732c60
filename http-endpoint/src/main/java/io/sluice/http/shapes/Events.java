package io.sluice.http.shapes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/** Builds the CloudEvents the shapes produce: JSON data, the platform's element unchanged. */
final class Events {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json";

  private Events() {}

  /**
   * A CloudEvent 1.0 whose data is {@code data} as JSON ({@code datacontenttype:
   * application/json}); a null or blank subject and a null time are left out.
   */
  static CloudEvent of(
      String where,
      String id,
      String source,
      String type,
      String subject,
      OffsetDateTime time,
      JsonNode data)
      throws PlatformShapeException {
    URI src = uri(source, where);
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(id)
            .withSource(src)
            .withType(type)
            .withDataContentType(JSON_TYPE)
            .withData(bytes(data));
    if (subject != null && !subject.isBlank()) {
      b.withSubject(subject);
    }
    if (time != null) {
      b.withTime(time);
    }
    return b.build();
  }

  /**
   * The source as a URI reference; characters a URI may not hold (spaces, braces, non-ASCII) are
   * percent-encoded (UTF-8) rather than refused.
   */
  static URI uri(String source, String where) throws PlatformShapeException {
    try {
      return new URI(source);
    } catch (URISyntaxException first) {
      try {
        return new URI(encodeIllegal(source));
      } catch (URISyntaxException e) {
        throw new PlatformShapeException(
            where + ": source '" + source + "' is not a URI reference: " + e.getReason());
      }
    }
  }

  private static final String URI_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";

  private static String encodeIllegal(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 128 && URI_CHARS.indexOf(cp) >= 0) {
        b.append((char) cp);
      } else {
        for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          b.append('%').append(String.format("%02X", x & 0xff));
        }
      }
    }
    return b.toString();
  }

  static byte[] bytes(JsonNode data) {
    try {
      return JSON.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write event data as JSON", e);
    }
  }
}

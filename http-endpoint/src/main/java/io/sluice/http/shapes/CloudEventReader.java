package io.sluice.http.shapes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads CloudEvents 1.0 in the JSON format (structured mode, and the elements of a batch) and in
 * binary mode ({@code ce-*} headers or message attributes and a body), checking the required
 * attributes and the spec version first so that errors name what is wrong.
 */
public final class CloudEventReader {
  /** The one spec version Sluice reads. */
  public static final String SPEC_VERSION = "1.0";

  private static final List<String> REQUIRED = List.of("id", "type", "source", "specversion");
  private static final JsonFormat FORMAT = new JsonFormat();

  private CloudEventReader() {}

  /**
   * One event in the JSON format.
   *
   * @param where prefix of error messages, e.g. {@code "event 2 of the batch: "}, or empty
   * @throws PlatformShapeException when it is not an object, lacks a required attribute, has
   *     another spec version or an invalid attribute value
   */
  public static CloudEvent structured(JsonNode node, String where) throws PlatformShapeException {
    if (node == null || !node.isObject()) {
      throw new PlatformShapeException(
          where + "a CloudEvent must be a JSON object, got " + Fields.kind(node));
    }
    List<String> missing = new ArrayList<>();
    for (String attribute : REQUIRED) {
      if (Fields.optText(node, attribute) == null) {
        missing.add(attribute);
      }
    }
    if (!missing.isEmpty()) {
      throw new PlatformShapeException(
          where
              + "CloudEvent is missing required attributes (non-empty strings): "
              + String.join(", ", missing));
    }
    checkVersion(node.get("specversion").asText(), where, "specversion");
    try {
      return FORMAT.deserialize(Events.JSON.writeValueAsBytes(node));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new PlatformShapeException(where + "invalid CloudEvent: " + rootMessage(e));
    }
  }

  /**
   * One event in binary mode: attributes in {@code ce-*} entries, {@code content-type} the data's
   * content type, the body the data.
   *
   * @param what names the event in messages, e.g. {@code "binary-mode CloudEvent"}
   * @param carriers what holds the attributes, for messages: {@code "headers"} or {@code
   *     "attributes"}
   */
  public static CloudEvent binary(
      Map<String, String> headers, byte[] body, String what, String carriers)
      throws PlatformShapeException {
    List<String> missing = new ArrayList<>();
    for (String attribute : REQUIRED) {
      String v = get(headers, "ce-" + attribute);
      if (v == null || v.isBlank()) {
        missing.add("ce-" + attribute);
      }
    }
    if (!missing.isEmpty()) {
      throw new PlatformShapeException(
          what + " is missing required " + carriers + ": " + String.join(", ", missing));
    }
    checkVersion(get(headers, "ce-specversion"), what + ": ", "ce-specversion");
    try {
      return HttpMessageFactory.createReader(
              (BiConsumer<String, String> each) -> headers.forEach(each), body)
          .toEvent();
    } catch (RuntimeException e) {
      throw new PlatformShapeException("invalid " + what + ": " + rootMessage(e));
    }
  }

  /** Whether the headers or attributes carry a binary-mode CloudEvent ({@code ce-specversion}). */
  public static boolean isBinary(Map<String, String> headers) {
    return get(headers, "ce-specversion") != null;
  }

  private static void checkVersion(String version, String where, String field)
      throws PlatformShapeException {
    if (!SPEC_VERSION.equals(version.trim())) {
      throw new PlatformShapeException(
          where
              + "unsupported "
              + field
              + " '"
              + version
              + "': this endpoint reads CloudEvents "
              + SPEC_VERSION
              + " ("
              + field
              + ": "
              + SPEC_VERSION
              + ")");
    }
  }

  private static String get(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().toLowerCase(Locale.ROOT).equals(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof JsonProcessingException j) {
      return j.getOriginalMessage(); // without a location in our re-serialized copy
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

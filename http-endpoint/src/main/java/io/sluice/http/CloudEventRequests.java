package io.sluice.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.http.shapes.CloudEventReader;
import io.sluice.http.shapes.PlatformShapeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the CloudEvents of a {@code POST /events} request in any of the HTTP protocol binding's
 * modes: structured ({@code application/cloudevents+json}), batch ({@code
 * application/cloudevents-batch+json}) or binary ({@code ce-*} headers, the body is the data).
 */
final class CloudEventRequests {
  static final String STRUCTURED = "application/cloudevents+json";
  static final String BATCH = "application/cloudevents-batch+json";
  static final String MODES =
      "structured mode (Content-Type: "
          + STRUCTURED
          + "), batch mode ("
          + BATCH
          + ") or binary mode (headers ce-id, ce-type, ce-source, ce-specversion)";

  /**
   * The events of one request.
   *
   * @param shape what they came as: {@code cloudevents} or a platform shape's name
   * @param multi answer with one result per event (batch mode, or a platform payload that did not
   *     hold exactly one event) instead of the single event's status
   */
  record Incoming(String shape, boolean multi, List<CloudEvent> events) {}

  private CloudEventRequests() {}

  /** Whether the request is in one of the CloudEvents modes (by Content-Type or ce- headers). */
  static boolean isCloudEvents(HttpHeaders headers) {
    return mediaType(headers).startsWith("application/cloudevents")
        || headers.names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("ce-"));
  }

  static Incoming read(HttpHeaders headers, byte[] body) throws MalformedEventException {
    String type = mediaType(headers);
    if (type.equals(BATCH)) {
      return new Incoming("cloudevents", true, batch(body));
    }
    if (type.startsWith("application/cloudevents")) {
      if (!type.equals(STRUCTURED) && !type.equals("application/cloudevents")) {
        throw new MalformedEventException(
            HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported event format '" + type + "'; send " + STRUCTURED + " or " + BATCH);
      }
      return new Incoming("cloudevents", false, List.of(structured(json(body, "the body"), "")));
    }
    try {
      return new Incoming(
          "cloudevents",
          false,
          List.of(
              CloudEventReader.binary(map(headers), body, "binary-mode CloudEvent", "headers")));
    } catch (PlatformShapeException e) {
      throw new MalformedEventException(e.getMessage());
    }
  }

  static String mediaType(HttpHeaders headers) {
    String ct = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The headers as a map, names lower-cased, the first of repeated ones. */
  static Map<String, String> map(HttpHeaders headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers) {
      out.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    return out;
  }

  /** The body as JSON; an error with the line and column of the first fault. */
  static JsonNode json(byte[] body, String what) throws MalformedEventException {
    if (body.length == 0) {
      throw new MalformedEventException("malformed JSON: " + what + " is empty");
    }
    try {
      return Reply.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new MalformedEventException(
          "malformed JSON in " + what + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedEventException("cannot read " + what + ": " + e.getMessage());
    }
  }

  private static List<CloudEvent> batch(byte[] body) throws MalformedEventException {
    JsonNode array = json(body, "the batch");
    if (!array.isArray()) {
      throw new MalformedEventException(
          "a batch ("
              + BATCH
              + ") must be a JSON array of events, got "
              + array.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    List<CloudEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      events.add(structured(array.get(i), "event " + i + " of the batch: "));
    }
    return events;
  }

  private static CloudEvent structured(JsonNode node, String where) throws MalformedEventException {
    try {
      return CloudEventReader.structured(node, where);
    } catch (PlatformShapeException e) {
      throw new MalformedEventException(e.getMessage());
    }
  }
}

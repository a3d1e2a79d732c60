package io.sluice.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
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
  private static final List<String> REQUIRED = List.of("id", "type", "source", "specversion");
  private static final JsonFormat FORMAT = new JsonFormat();

  /** The events of one request; {@code batch} when it came in batch mode. */
  record Incoming(boolean batch, List<CloudEvent> events) {}

  private CloudEventRequests() {}

  static Incoming read(FullHttpRequest request) throws MalformedEventException {
    String type = mediaType(request.headers());
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (type.equals(BATCH)) {
      return new Incoming(true, batch(body));
    }
    if (type.startsWith("application/cloudevents")) {
      if (!type.equals(STRUCTURED) && !type.equals("application/cloudevents")) {
        throw new MalformedEventException(
            HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported event format '" + type + "'; send " + STRUCTURED + " or " + BATCH);
      }
      return new Incoming(false, List.of(structured(json(body, "the body"), "")));
    }
    return new Incoming(false, List.of(binary(request.headers(), body)));
  }

  private static String mediaType(HttpHeaders headers) {
    String ct = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static JsonNode json(byte[] body, String what) throws MalformedEventException {
    if (body.length == 0) {
      throw new MalformedEventException("malformed JSON: " + what + " is empty");
    }
    try {
      return Replies.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(
          "malformed JSON in " + what + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new MalformedEventException("cannot read " + what + ": " + e.getMessage());
    }
  }

  private static List<CloudEvent> batch(byte[] body) throws MalformedEventException {
    JsonNode array = json(body, "the batch");
    if (!array.isArray()) {
      throw new MalformedEventException(
          "a batch (" + BATCH + ") must be a JSON array of events, got " + array.getNodeType());
    }
    List<CloudEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      events.add(structured(array.get(i), "event " + i + " of the batch: "));
    }
    return events;
  }

  private static CloudEvent structured(JsonNode node, String where) throws MalformedEventException {
    if (!node.isObject()) {
      throw new MalformedEventException(
          where + "a CloudEvent must be a JSON object, got " + node.getNodeType());
    }
    List<String> missing = new ArrayList<>();
    for (String attribute : REQUIRED) {
      JsonNode v = node.get(attribute);
      if (v == null || !v.isTextual() || v.asText().isBlank()) {
        missing.add(attribute);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedEventException(
          where
              + "CloudEvent is missing required attributes (non-empty strings): "
              + String.join(", ", missing));
    }
    try {
      return FORMAT.deserialize(Replies.JSON.writeValueAsBytes(node));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new MalformedEventException(where + "invalid CloudEvent: " + rootMessage(e));
    }
  }

  private static CloudEvent binary(HttpHeaders headers, byte[] body)
      throws MalformedEventException {
    boolean any =
        headers.names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("ce-"));
    if (!any) {
      throw new MalformedEventException(
          HttpResponseStatus.BAD_REQUEST,
          "not a CloudEvent: send structured mode (Content-Type: "
              + STRUCTURED
              + "), batch mode ("
              + BATCH
              + ") or binary mode (headers ce-id, ce-type, ce-source, ce-specversion)");
    }
    List<String> missing = new ArrayList<>();
    for (String attribute : REQUIRED) {
      String v = headers.get("ce-" + attribute);
      if (v == null || v.isBlank()) {
        missing.add("ce-" + attribute);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedEventException(
          "binary-mode CloudEvent is missing required headers: " + String.join(", ", missing));
    }
    try {
      return HttpMessageFactory.createReader(
              (java.util.function.BiConsumer<String, String> each) -> {
                for (Map.Entry<String, String> h : headers) {
                  each.accept(h.getKey(), h.getValue());
                }
              },
              body)
          .toEvent();
    } catch (RuntimeException e) {
      throw new MalformedEventException("invalid binary-mode CloudEvent: " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
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

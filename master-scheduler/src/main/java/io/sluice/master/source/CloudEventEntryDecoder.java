package io.sluice.master.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code format: cloudevent}: the entry's field {@code event} holds one CloudEvent in the JSON
 * event format (what {@code application/cloudevents+json} carries), e.g. {@code XADD orders * event
 * '{"specversion":"1.0","id":"o-1","type":"order.paid","source":"/shop","subject":"A-1",
 * "data":{...}}'}. Other fields are ignored.
 */
final class CloudEventEntryDecoder implements EntryDecoder {
  static final String FIELD = "event";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventFormat FORMAT = new JsonFormat();
  private static final List<String> REQUIRED = List.of("specversion", "id", "type", "source");

  @Override
  public CloudEvent decode(StreamEntry entry) throws MalformedEntryException {
    String text = entry.fields().get(FIELD);
    if (text == null || text.isBlank()) {
      throw new MalformedEntryException(
          "no field '"
              + FIELD
              + "' holding a CloudEvent (JSON); the entry has "
              + entry.fields().keySet());
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedEntryException(
          "field '" + FIELD + "' is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedEntryException(
          "field '"
              + FIELD
              + "' must be a CloudEvent JSON object, got "
              + (node == null ? "nothing" : node.getNodeType()));
    }
    List<String> missing = new ArrayList<>();
    for (String a : REQUIRED) {
      JsonNode v = node.get(a);
      if (v == null || !v.isTextual() || v.asText().isBlank()) {
        missing.add(a);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedEntryException(
          "the CloudEvent lacks required attributes (non-empty strings): "
              + String.join(", ", missing));
    }
    try {
      return FORMAT.deserialize(text.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      throw new MalformedEntryException("invalid CloudEvent: " + t.getMessage());
    }
  }
}

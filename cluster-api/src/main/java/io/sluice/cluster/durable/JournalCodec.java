package io.sluice.cluster.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.model.format.JsonMappers;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of the journal's records in Redis (docs/configuration.md, "The durability
 * section"). A value that may itself be JSON {@code null} (a call's output, an edge's payload) is
 * written as {@code null} and told apart from an absent one (a failed call, a skipped edge) by the
 * key's presence. Bytes (run options, part results) are base64.
 */
final class JournalCodec {
  private static final ObjectMapper MAPPER = JsonMappers.forValues();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private JournalCodec() {}

  static String start(InstanceRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("instance", r.instanceId());
    o.set("workflow", workflow(r.workflow()));
    if (r.input() != null) {
      o.set("input", r.input());
    }
    ObjectNode placement = o.putObject("placement");
    r.placement().forEach(placement::put);
    o.put("startedAt", r.startedAtMillis());
    o.put("options", B64.encodeToString(r.options()));
    if (!r.startedBy().isEmpty()) {
      o.put("startedBy", r.startedBy());
    }
    return write(o);
  }

  static InstanceRecord start(String json) {
    JsonNode o = read(json);
    Map<String, String> placement = new LinkedHashMap<>();
    o.path("placement").properties().forEach(e -> placement.put(e.getKey(), e.getValue().asText()));
    return new InstanceRecord(
        o.path("instance").asText(),
        workflow(o.path("workflow")),
        o.get("input"),
        placement,
        o.path("startedAt").asLong(),
        B64D.decode(o.path("options").asText("")),
        o.path("startedBy").asText(""));
  }

  static String call(CallOutcome c) {
    ObjectNode o = MAPPER.createObjectNode();
    if (c.failed()) {
      o.put("error", c.errorType());
      o.put("message", c.errorMessage());
      o.put("retryable", c.retryable());
    } else {
      o.set("output", c.output());
    }
    return write(o);
  }

  static CallOutcome call(String json) {
    JsonNode o = read(json);
    if (o.has("output")) {
      return CallOutcome.completed(o.get("output"));
    }
    return CallOutcome.failed(
        o.path("error").asText(), o.path("message").asText(""), o.path("retryable").asBoolean());
  }

  static String edge(EdgeEvent e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", e.id());
    o.put("instance", e.instanceId());
    o.set("workflow", workflow(e.workflow()));
    o.put("edge", e.edge());
    o.put("from", e.from());
    o.put("to", e.to());
    if (!e.skipped()) {
      o.set("payload", e.payload());
    }
    o.put("computeNanos", e.pathComputeNanos());
    o.put("dataNanos", e.pathDataNanos());
    return write(o);
  }

  static EdgeEvent edge(String json) {
    JsonNode o = read(json);
    return new EdgeEvent(
        o.path("id").asText(),
        o.path("instance").asText(),
        workflow(o.path("workflow")),
        o.path("edge").asInt(),
        o.path("from").asText(),
        o.path("to").asText(),
        o.has("payload") ? o.get("payload") : null,
        o.path("computeNanos").asLong(),
        o.path("dataNanos").asLong());
  }

  static String bytes(byte[] b) {
    return B64.encodeToString(b);
  }

  static byte[] bytes(String s) {
    return B64D.decode(s);
  }

  private static ObjectNode workflow(WorkflowKey k) {
    ObjectNode w = MAPPER.createObjectNode();
    w.put("name", k.name());
    w.put("version", k.version());
    return w;
  }

  private static WorkflowKey workflow(JsonNode w) {
    return new WorkflowKey(w.path("name").asText(), w.path("version").asText());
  }

  private static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("journal record not writable as JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "journal record in Redis is not valid JSON (written by another version?): "
              + e.getOriginalMessage(),
          e);
    }
  }
}

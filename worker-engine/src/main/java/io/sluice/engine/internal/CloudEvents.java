package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.EventTypes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Converts between the engine's events and CloudEvents 1.0, at the edges of the engine. */
final class CloudEvents {
  private static final ObjectMapper MAPPER = io.sluice.model.format.JsonMappers.forValues();
  private static final URI SOURCE = URI.create(EventTypes.SOURCE);

  private CloudEvents() {}

  /** The data of a CloudEvent as JSON: parsed if it is JSON, else a string. */
  static JsonNode data(CloudEvent ev) {
    CloudEventData d = ev.getData();
    if (d == null) {
      return NullNode.getInstance();
    }
    byte[] bytes = d.toBytes();
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /**
   * The event as {@code {id, type, source, subject, time, data, extensions}} for jq correlation
   * ({@code extensions}: every extension attribute by name, as text).
   */
  static JsonNode asJson(CloudEvent ev) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", ev.getId());
    o.put("type", ev.getType());
    o.put("source", String.valueOf(ev.getSource()));
    o.put("subject", ev.getSubject());
    o.put("time", ev.getTime() == null ? null : ev.getTime().toString());
    o.set("data", data(ev));
    ObjectNode ext = o.putObject("extensions");
    for (String name : ev.getExtensionNames()) {
      Object v = ev.getExtension(name);
      ext.put(name, v == null ? null : v.toString());
    }
    return o;
  }

  static CloudEvent toCloudEvent(TriggerEvent e, String instanceId, CompiledWorkflow wf) {
    if (e.external() != null) {
      return e.external();
    }
    int nodeIndex = e.kind() == TriggerEvent.Kind.EDGE ? wf.edgeTo[e.node()] : e.node();
    String nodeId = nodeIndex >= 0 ? wf.triggers[nodeIndex].nodeId : null;
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(e.id(instanceId, wf))
            .withSource(SOURCE)
            .withType(typeOf(e.kind()))
            .withSubject(nodeId == null ? instanceId : instanceId + "/" + nodeId)
            .withTime(
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.timeMillis()), ZoneOffset.UTC))
            .withExtension("attempt", e.attempt());
    JsonNode body = e.payload();
    if (e.error() != null) {
      ObjectNode err = JsonNodeFactory.instance.objectNode();
      err.put("error", e.error().type());
      err.put("cause", e.error().message());
      err.put("retryable", e.error().retryable());
      body = err;
    }
    if (body != null) {
      try {
        b.withData("application/json", MAPPER.writeValueAsBytes(body));
      } catch (IOException ex) {
        throw new IllegalStateException("cannot serialize event data", ex);
      }
    }
    return b.build();
  }

  static String typeOf(TriggerEvent.Kind kind) {
    return switch (kind) {
      case STARTED -> EventTypes.INSTANCE_STARTED;
      case COMPLETED -> EventTypes.NODE_COMPLETED;
      case FAILED -> EventTypes.NODE_FAILED;
      case SKIPPED -> EventTypes.NODE_SKIPPED;
      case RETRY -> EventTypes.NODE_RETRY;
      case TIMER -> EventTypes.TIMER_FIRED;
      case TIMEOUT -> EventTypes.TIMEOUT;
      case CHILD_DONE -> EventTypes.CHILD_FINISHED;
      case EDGE -> EventTypes.EDGE_RESOLVED;
      case EXPORTED -> EventTypes.NODE_EXPORTED;
      case ABORT -> EventTypes.INSTANCE_FAILED;
      case CANCEL, INSTANCE_CANCELLED -> EventTypes.INSTANCE_CANCELLED;
      case INSTANCE_COMPLETED -> EventTypes.INSTANCE_COMPLETED;
      case INSTANCE_FAILED -> EventTypes.INSTANCE_FAILED;
      case EXTERNAL -> "external";
    };
  }

  /** A short text of a history, for error messages about illegal transitions. */
  static String describe(List<TriggerEvent> history, String instanceId, CompiledWorkflow wf) {
    StringBuilder sb = new StringBuilder("[");
    int from = Math.max(0, history.size() - 20);
    if (from > 0) {
      sb.append("... ");
    }
    for (int i = from; i < history.size(); i++) {
      if (i > from) {
        sb.append(", ");
      }
      sb.append(history.get(i).id(instanceId, wf));
    }
    return sb.append(']').toString();
  }
}

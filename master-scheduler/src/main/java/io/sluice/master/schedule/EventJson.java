package io.sluice.master.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.sluice.model.WorkflowSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A CloudEvent as the input of an instance a {@code schedule.on} started (the CloudEvents JSON
 * format: context attributes and extensions at the top, {@code data} parsed when it is JSON), and
 * the test of a schedule's event filter.
 */
final class EventJson {
  private static final ObjectMapper MAPPER = io.sluice.model.format.JsonMappers.forValues();

  private EventJson() {}

  static JsonNode of(CloudEvent ev) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("specversion", ev.getSpecVersion().toString());
    o.put("id", ev.getId());
    o.put("source", String.valueOf(ev.getSource()));
    o.put("type", ev.getType());
    if (ev.getSubject() != null) {
      o.put("subject", ev.getSubject());
    }
    if (ev.getTime() != null) {
      o.put("time", ev.getTime().toString());
    }
    if (ev.getDataContentType() != null) {
      o.put("datacontenttype", ev.getDataContentType());
    }
    for (String name : ev.getExtensionNames()) {
      Object v = ev.getExtension(name);
      o.put(name, v == null ? null : v.toString());
    }
    o.set("data", data(ev));
    return o;
  }

  private static JsonNode data(CloudEvent ev) {
    if (ev.getData() == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    byte[] bytes = ev.getData().toBytes();
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** Whether {@code ev} has the filter's type and each attribute of its {@code with}, exactly. */
  static boolean matches(WorkflowSchedule.Filter f, CloudEvent ev) {
    if (!f.type().equals(ev.getType())) {
      return false;
    }
    for (Map.Entry<String, JsonNode> w : f.with().entrySet()) {
      if (w.getKey().equals("data")) {
        if (!w.getValue().equals(data(ev))) {
          return false;
        }
        continue;
      }
      Object actual =
          switch (w.getKey()) {
            case "id" -> ev.getId();
            case "source" -> ev.getSource();
            case "subject" -> ev.getSubject();
            case "time" -> ev.getTime();
            case "datacontenttype" -> ev.getDataContentType();
            case "dataschema" -> ev.getDataSchema();
            default -> ev.getExtension(w.getKey());
          };
      if (actual == null || !actual.toString().equals(w.getValue().asText())) {
        return false;
      }
    }
    return true;
  }
}

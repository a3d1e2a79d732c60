package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.model.EventWaitNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's built-in runtime {@value #RUNTIME}: a task calling a function of this runtime hands
 * its input, a CloudEvent as JSON ({@code type} and {@code source} required; {@code id}, {@code
 * subject}, {@code time}, {@code datacontenttype}, {@code data}; any other key an extension), to
 * the engine's event routing, as if it had come in through {@code POST /events}: instances waiting
 * for it take it. No process or container runs; the node's output is its input. An event nobody
 * waits for is not an error (an emitter does not know its listeners), only logged.
 */
final class EventEmitter {
  /** The runtime kind the engine runs itself (Serverless Workflow {@code emit}). */
  static final String RUNTIME = "emit";

  /** Error type of an input that is not a CloudEvent. */
  static final String INVALID_EVENT = "InvalidEvent";

  /** Error type of an event the cluster could not route (the master unreachable); retryable. */
  static final String EMIT_FAILED = "EmitFailed";

  private static final Logger LOG = LoggerFactory.getLogger(EventEmitter.class);
  private static final Set<String> CORE =
      Set.of(
          "id",
          "type",
          "source",
          "specversion",
          "subject",
          "time",
          "datacontenttype",
          "dataschema",
          "data");

  private EventEmitter() {}

  static void emit(Instance inst, int k, JsonNode in) {
    Trigger t = inst.wf.triggers[k];
    CloudEvent ev;
    try {
      ev = event(in, inst.id + "-" + t.nodeId + "-" + inst.attempts[k]);
    } catch (IllegalArgumentException | java.time.DateTimeException ex) {
      NodeOutcomes.failure(
          inst,
          k,
          new ErrorInfo(INVALID_EVENT, "emit " + t.nodeId + ": " + ex.getMessage(), false));
      return;
    }
    java.util.concurrent.CompletableFuture<EventOutcome> routed;
    try {
      routed = inst.ctx.emitter.emit(ev).toCompletableFuture();
    } catch (RuntimeException ex) {
      routed = java.util.concurrent.CompletableFuture.failedFuture(ex);
    }
    if (routed.isDone() && !routed.isCompletedExceptionally()) {
      logged(inst, t, ev, routed.join());
      NodeOutcomes.result(inst, k, in, -1);
      return;
    }
    int attempt = inst.attempts[k];
    routed.whenComplete(
        (out, ex) -> {
          if (ex == null) {
            logged(inst, t, ev, out);
          }
          inst.post(
              ex == null
                  ? new TriggerEvent(
                      TriggerEvent.Kind.COMPLETED, k, attempt, 0, in, null, null, inst.now(), 0, 0)
                  : new TriggerEvent(
                      TriggerEvent.Kind.FAILED,
                      k,
                      attempt,
                      0,
                      null,
                      new ErrorInfo(
                          EMIT_FAILED,
                          "emit "
                              + t.nodeId
                              + ": event "
                              + ev.getId()
                              + " not routed: "
                              + cause(ex),
                          true),
                      null,
                      inst.now(),
                      0,
                      0));
        });
  }

  private static String cause(Throwable ex) {
    Throwable c =
        ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
            ? ex.getCause()
            : ex;
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  private static void logged(Instance inst, Trigger t, CloudEvent ev, EventOutcome out) {
    InstanceLog.debug(
        LOG,
        inst.id,
        t.nodeId,
        "instance {} node {} emitted {} ({}): {} {}",
        inst.id,
        t.nodeId,
        ev.getId(),
        ev.getType(),
        out.detail(),
        out.instances());
  }

  /** The CloudEvent a JSON object describes; {@code id} when it has none. */
  static CloudEvent event(JsonNode in, String id) {
    if (in == null || !in.isObject()) {
      throw new IllegalArgumentException("the event must be an object, got " + kind(in));
    }
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(in.hasNonNull("id") ? in.get("id").asText() : id)
            .withType(text(in, "type"))
            .withSource(URI.create(text(in, "source")));
    if (in.hasNonNull("subject")) {
      b.withSubject(in.get("subject").asText());
    }
    if (in.hasNonNull("dataschema")) {
      b.withDataSchema(URI.create(in.get("dataschema").asText()));
    }
    if (in.hasNonNull("time")) {
      b.withTime(OffsetDateTime.parse(in.get("time").asText()));
    }
    JsonNode data = in.get("data");
    if (data != null && !data.isNull()) {
      String type = in.path("datacontenttype").asText("application/json");
      byte[] bytes =
          data.isTextual() && !type.contains("json")
              ? data.asText().getBytes(StandardCharsets.UTF_8)
              : data.toString().getBytes(StandardCharsets.UTF_8);
      b.withData(type, bytes);
    }
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      if (CORE.contains(e.getKey()) || e.getValue().isNull()) {
        continue;
      }
      if (!EventWaitNode.Correlate.EXTENSION_NAME.matcher(e.getKey()).matches()
          || EventWaitNode.Correlate.CORE_ATTRIBUTES.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "attribute '" + e.getKey() + "' is not a CloudEvents extension name (1-20 a-z0-9)");
      }
      if (e.getValue().isContainerNode()) {
        throw new IllegalArgumentException(
            "extension '" + e.getKey() + "' must be a string, number or boolean");
      }
      b.withExtension(e.getKey(), e.getValue().asText());
    }
    return b.build();
  }

  private static String text(JsonNode in, String key) {
    JsonNode v = in.get(key);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("'" + key + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static String kind(JsonNode v) {
    return v == null ? "nothing" : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** Where an engine's emitted events go: its own routing, or (a worker) the cluster's. */
  @FunctionalInterface
  interface Outlet {
    java.util.concurrent.CompletionStage<EventOutcome> emit(CloudEvent event);
  }
}

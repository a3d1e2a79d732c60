package io.sluice.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.http.shapes.PlatformEvents;
import io.sluice.http.shapes.PlatformMessage;
import io.sluice.http.shapes.PlatformShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events[/SHAPE]}: reads the request's events (CloudEvents modes, or a platform shape
 * named by the path or {@code ?shape=}, or recognised by content), hands them to the {@link
 * EventSink} one after the other and builds the reply when the last delivery completes. Shared by
 * every connection; holds no per-request state.
 */
final class EventIngest {
  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  private final EventSink sink;
  private final long timeoutMillis;
  private final MeterRegistry metrics;

  EventIngest(HttpEndpointOptions options) {
    this.sink = options.events();
    this.timeoutMillis = options.deliveryTimeout().toMillis();
    this.metrics = options.metrics();
  }

  /**
   * The reply to one request, complete when every event of it was delivered (or refused).
   *
   * @param shape the shape the path or query names, or null
   * @param shapeInPath whether the path named it (an unknown one is then 404, else 400)
   * @param remote the sender (for the sink's per-client limits and audit), or null
   * @param principal who the guard says sent it ({@code anonymous} without tokens)
   */
  CompletionStage<Reply> post(
      FullHttpRequest request,
      String shape,
      boolean shapeInPath,
      java.net.SocketAddress remote,
      String principal) {
    CloudEventRequests.Incoming incoming;
    try {
      PlatformRead read = read(request, shape);
      if (read.handshake != null) {
        PlatformMessage.Handshake h = read.handshake;
        log.info("{} {}: {}", h.shape(), h.kind(), h.note());
        count(h.shape(), "handshake");
        return CompletableFuture.completedFuture(Reply.json(HttpResponseStatus.OK, h.reply()));
      }
      incoming = read.incoming;
    } catch (UnknownShape e) {
      rejected(shapeInPath ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST);
      return CompletableFuture.completedFuture(
          Reply.error(
              shapeInPath ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST,
              e.getMessage()));
    } catch (MalformedEventException e) {
      rejected(e.status());
      return CompletableFuture.completedFuture(Reply.error(e.status(), e.getMessage()));
    }
    return deliverAll(incoming, remote, principal);
  }

  void rejected(HttpResponseStatus status) {
    Counter.builder("sluice.http.events.rejected")
        .description("requests to /events refused before any delivery, by HTTP status")
        .tag("status", Integer.toString(status.code()))
        .register(metrics)
        .increment();
  }

  /** The events of a request, or the handshake it is. */
  private record PlatformRead(
      CloudEventRequests.Incoming incoming, PlatformMessage.Handshake handshake) {}

  private static final class UnknownShape extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownShape(String message) {
      super(message);
    }
  }

  private PlatformRead read(FullHttpRequest request, String shape)
      throws MalformedEventException, UnknownShape {
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (shape == null && CloudEventRequests.isCloudEvents(request.headers())) {
      return new PlatformRead(CloudEventRequests.read(request.headers(), body), null);
    }
    String name = shape == null ? PlatformEvents.AUTO : shape;
    try {
      PlatformEvents.shape(name);
    } catch (IllegalArgumentException e) {
      throw new UnknownShape(e.getMessage());
    }
    JsonNode json;
    try {
      json = CloudEventRequests.json(body, "the body");
    } catch (MalformedEventException e) {
      throw shape == null ? notACloudEvent(e.getMessage()) : e;
    }
    PlatformMessage m;
    try {
      m = PlatformEvents.read(name, json, CloudEventRequests.map(request.headers()));
    } catch (PlatformShapeException e) {
      throw shape == null ? notACloudEvent(e.getMessage() + hint(json)) : bad(e.getMessage());
    }
    if (m instanceof PlatformMessage.Handshake h) {
      return new PlatformRead(null, h);
    }
    List<CloudEvent> events = ((PlatformMessage.Events) m).events();
    return new PlatformRead(
        new CloudEventRequests.Incoming(m.shape(), events.size() != 1, events), null);
  }

  private static MalformedEventException bad(String message) {
    return new MalformedEventException(message);
  }

  private static MalformedEventException notACloudEvent(String why) {
    return new MalformedEventException(
        "not a CloudEvent and not a platform event: send "
            + CloudEventRequests.MODES
            + ", or a platform's JSON payload (POST /events/SHAPE or ?shape=SHAPE, SHAPE one of "
            + String.join(", ", PlatformEvents.names())
            + "); "
            + why);
  }

  private static String hint(JsonNode json) {
    return json.isObject() && json.has("specversion")
        ? " (this looks like a structured CloudEvent: send it with Content-Type: "
            + CloudEventRequests.STRUCTURED
            + ")"
        : "";
  }

  private CompletionStage<Reply> deliverAll(
      CloudEventRequests.Incoming in, java.net.SocketAddress remote, String principal) {
    List<ObjectNode> results = new ArrayList<>(in.events().size());
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (CloudEvent event : in.events()) {
      chain =
          chain.thenCompose(
              v -> deliver(in.shape(), event, remote, principal).thenAccept(results::add));
    }
    return chain.thenApply(v -> reply(in, results));
  }

  private static Reply reply(CloudEventRequests.Incoming in, List<ObjectNode> results) {
    boolean platform = !in.shape().equals("cloudevents");
    if (!in.multi()) {
      ObjectNode r = results.get(0);
      if (platform) {
        r.put("shape", in.shape());
      }
      return retryAfter(Reply.json(HttpResponseStatus.valueOf(r.get("status").asInt()), r), r);
    }
    ObjectNode body = Reply.object();
    if (platform) {
      body.put("shape", in.shape());
    }
    ArrayNode array = body.putArray("results");
    results.forEach(array::add);
    Reply reply = Reply.json(HttpResponseStatus.OK, body);
    for (ObjectNode r : results) {
      reply = retryAfter(reply, r); // the longest wait any refused event was told
    }
    return reply;
  }

  /** {@code reply} with a Retry-After header when {@code result} was refused for a while. */
  private static Reply retryAfter(Reply reply, ObjectNode result) {
    if (!result.has("retryAfter")) {
      return reply;
    }
    long seconds = result.get("retryAfter").asLong();
    String had = reply.headers().get("Retry-After");
    if (had != null && Long.parseLong(had) >= seconds) {
      return reply;
    }
    return reply.withHeaders(java.util.Map.of("Retry-After", Long.toString(seconds)));
  }

  /**
   * Hands one event to the sink: {@code {id, status, result, matched, instances}} with 202
   * (accepted, held or duplicate) or 404 (unmatched, with {@code error}); 500 or 504 when the sink
   * failed or did not answer.
   */
  private CompletableFuture<ObjectNode> deliver(
      String shape, CloudEvent event, java.net.SocketAddress remote, String principal) {
    CompletableFuture<EventReceipt> f;
    try {
      f = sink.deliver(event, remote, principal).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .handle((receipt, error) -> outcome(shape, event, receipt, error));
  }

  private ObjectNode outcome(
      String shape, CloudEvent event, EventReceipt receipt, Throwable error) {
    ObjectNode r = Reply.object().put("id", event.getId());
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      count(shape, "timeout");
      return r.put("status", 504)
          .put("result", "timed out")
          .put(
              "error",
              "the event sink did not answer within "
                  + timeoutMillis
                  + " ms; the event may still arrive (resend it: its id makes it count once)");
    }
    if (cause instanceof EventRefusedException e) {
      count(shape, "refused");
      r.put("status", e.status()).put("result", "refused").put("error", e.getMessage());
      if (e.retryAfterSeconds() > 0) {
        r.put("retryAfter", e.retryAfterSeconds());
      }
      return r;
    }
    if (cause == null && receipt == null) {
      cause = new IllegalStateException("the event sink completed without a receipt");
    }
    if (cause != null) {
      log.warn("event sink failed on event {}", event.getId(), cause);
      count(shape, "failed");
      return r.put("status", 500).put("result", "failed").put("error", cause.toString());
    }
    r.put("matched", receipt.instances().size());
    ArrayNode ids = r.putArray("instances");
    receipt.instances().forEach(ids::add);
    String result = receipt.result();
    count(shape, result);
    if (receipt.accepted()) {
      r.put("status", 202).put("result", result);
      if (receipt.held() || receipt.duplicate()) {
        r.put("detail", receipt.detail());
      }
      return r;
    }
    return r.put("status", 404)
        .put("result", result)
        .put(
            "error",
            "no instance accepts event "
                + event.getId()
                + " (type "
                + event.getType()
                + (event.getSubject() == null ? "" : ", subject " + event.getSubject())
                + "): "
                + receipt.detail());
  }

  private void count(String shape, String outcome) {
    Counter.builder("sluice.http.events")
        .description("events POSTed to /events, by shape and outcome")
        .tag("shape", shape)
        .tag("outcome", outcome)
        .register(metrics)
        .increment();
  }
}

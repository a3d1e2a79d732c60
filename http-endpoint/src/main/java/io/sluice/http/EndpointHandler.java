package io.sluice.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes requests to health, metrics and event ingestion; one instance serves every channel. */
@ChannelHandler.Sharable
final class EndpointHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(EndpointHandler.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Map<String, HttpMethod> ROUTES =
      Map.of("/health", HttpMethod.GET, "/metrics", HttpMethod.GET, "/events", HttpMethod.POST);

  private final HttpEndpointOptions options;

  EndpointHandler(HttpEndpointOptions options) {
    this.options = options;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      Replies.error(
          ctx,
          false,
          HttpResponseStatus.BAD_REQUEST,
          "malformed HTTP request: " + request.decoderResult().cause());
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    HttpMethod allowed = ROUTES.get(path);
    if (allowed == null) {
      Replies.error(
          ctx,
          keepAlive,
          HttpResponseStatus.NOT_FOUND,
          "no such path "
              + path
              + "; this endpoint serves GET /health, GET /metrics, POST /events");
      return;
    }
    if (!allowed.equals(request.method())) {
      Replies.error(
          ctx,
          keepAlive,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          path + " accepts only " + allowed + ", not " + request.method());
      return;
    }
    try {
      switch (path) {
        case "/health" -> health(ctx, keepAlive);
        case "/metrics" ->
            Replies.text(
                ctx, keepAlive, HttpResponseStatus.OK, PROMETHEUS_TEXT, options.metrics().scrape());
        default -> events(ctx, keepAlive, request);
      }
    } catch (RuntimeException e) {
      log.warn("HTTP {} {} failed", request.method(), path, e);
      Replies.error(
          ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
    }
  }

  private void health(ChannelHandlerContext ctx, boolean keepAlive) {
    HealthReport h = options.health().get();
    ObjectNode body = Replies.object().put("status", h.status()).put("role", h.role());
    body.put("id", h.id());
    h.details().forEach(body::put);
    Replies.json(
        ctx,
        keepAlive,
        h.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        body);
  }

  private void events(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request) {
    CloudEventRequests.Incoming incoming;
    try {
      incoming = CloudEventRequests.read(request);
    } catch (MalformedEventException e) {
      Replies.error(ctx, keepAlive, e.status(), e.getMessage());
      return;
    }
    if (!incoming.batch()) {
      ObjectNode result = deliver(incoming.events().get(0));
      Replies.json(
          ctx, keepAlive, HttpResponseStatus.valueOf(result.get("status").asInt()), result);
      return;
    }
    ObjectNode body = Replies.object();
    ArrayNode results = body.putArray("results");
    for (CloudEvent event : incoming.events()) {
      results.add(deliver(event));
    }
    Replies.json(ctx, keepAlive, HttpResponseStatus.OK, body);
  }

  /**
   * Hands one event to the sink: {@code {id, status, result, matched, instances}} with 202
   * (accepted, held or duplicate), 404 (unmatched, with {@code error}) or 500.
   */
  private ObjectNode deliver(CloudEvent event) {
    ObjectNode r = Replies.object().put("id", event.getId());
    try {
      EventReceipt receipt = options.events().apply(event);
      r.put("matched", receipt.instances().size());
      ArrayNode ids = r.putArray("instances");
      receipt.instances().forEach(ids::add);
      if (receipt.accepted()) {
        String result =
            receipt.duplicate() ? "duplicate" : receipt.instances().isEmpty() ? "held" : "accepted";
        r.put("status", 202).put("result", result);
        if (receipt.held() || receipt.duplicate()) {
          r.put("detail", receipt.detail());
        }
        return r;
      }
      return r.put("status", 404)
          .put("result", "unmatched")
          .put(
              "error",
              "no instance accepts event "
                  + event.getId()
                  + " (type "
                  + event.getType()
                  + (event.getSubject() == null ? "" : ", subject " + event.getSubject())
                  + "): "
                  + receipt.detail());
    } catch (RuntimeException e) {
      log.warn("event sink failed on event {}", event.getId(), e);
      return r.put("status", 500).put("result", "failed").put("error", e.toString());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}

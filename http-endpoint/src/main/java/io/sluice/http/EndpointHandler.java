package io.sluice.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.http.shapes.PlatformEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one connection's requests to health, metrics and event ingestion. Replies that take time
 * (event deliveries) complete later, off the I/O thread; the connection's {@link ReplyQueue} writes
 * every reply in request order.
 */
final class EndpointHandler extends SimpleChannelInboundHandler<Object> {
  private static final Logger log = LoggerFactory.getLogger(EndpointHandler.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String EVENTS = "/events";
  private static final String SERVED =
      "GET /health, GET /metrics, POST /events, POST /events/SHAPE (SHAPE one of "
          + String.join(", ", PlatformEvents.names())
          + ")";

  private final HttpEndpointOptions options;
  private final EventIngest ingest;
  private ReplyQueue replies;
  private java.net.SocketAddress remote;

  EndpointHandler(HttpEndpointOptions options, EventIngest ingest) {
    this.options = options;
    this.ingest = ingest;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    replies = new ReplyQueue(ctx);
    remote = ctx.channel().remoteAddress(); // an accepted channel knows its peer already
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BodyLimit.Oversized o) {
      ingest.rejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
      replies.reply(o.keepOpen(), o.reply());
    } else if (msg instanceof FullHttpRequest request) {
      request(request);
    }
  }

  private void request(FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      replies.reply(
          false,
          Reply.error(
              HttpResponseStatus.BAD_REQUEST,
              // the decoder's message, not the exception's class: the client's mistake, said
              // plainly
              "malformed HTTP request: " + request.decoderResult().cause().getMessage()));
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path;
    try {
      path = uri.path();
      uri.parameters(); // decoded now: a bad %-escape is the client's 400, not a 500 later on
    } catch (IllegalArgumentException e) {
      replies.reply(
          keepAlive,
          Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed request URI: " + e.getMessage()));
      return;
    }
    HttpMethod method = request.method();
    try {
      if (path.equals("/health")) {
        replies.reply(
            keepAlive, method.equals(HttpMethod.GET) ? get(path) : notAllowed(path, method));
        return;
      }
      boolean events = path.equals(EVENTS) || path.startsWith(EVENTS + "/");
      HttpCall call =
          new HttpCall(
              method.name(),
              path,
              uri.parameters(),
              name -> request.headers().get(name),
              events || method.equals(HttpMethod.GET)
                  ? new byte[0]
                  : io.netty.buffer.ByteBufUtil.getBytes(request.content()),
              options.secure(),
              HttpCaller.ANONYMOUS);
      HttpGuard.Verdict verdict = options.guard().check(call);
      if (verdict.refusal() != null) {
        replies.reply(keepAlive, verdict.refusal().reply());
      } else if (path.equals("/metrics")) {
        replies.reply(
            keepAlive, method.equals(HttpMethod.GET) ? get(path) : notAllowed(path, method));
      } else if (events) {
        events(request, uri, keepAlive, verdict.caller());
      } else if (!route(call.from(verdict.caller()), keepAlive)) {
        replies.reply(
            keepAlive,
            Reply.error(
                HttpResponseStatus.NOT_FOUND,
                "no such path " + path + "; this endpoint serves " + SERVED));
      }
    } catch (RuntimeException e) {
      log.warn("HTTP {} {} failed", method, path, e);
      replies.reply(
          keepAlive, Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e));
    }
  }

  /** A request the options' routes serve; false when none serves the path. */
  private boolean route(HttpCall call, boolean keepAlive) {
    CompletionStage<HttpAnswer> answer = options.routes().serve(call);
    if (answer == null) {
      return false;
    }
    ReplyQueue.Slot slot = replies.reserve(keepAlive);
    if (slot == null) {
      return true; // the connection is closing
    }
    answer.whenComplete(
        (a, e) ->
            replies.complete(
                slot,
                e == null
                    ? a.reply()
                    : Reply.error(
                        HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e)));
    return true;
  }

  private Reply get(String path) {
    if (path.equals("/metrics")) {
      return Reply.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, options.metrics().scrape());
    }
    HealthReport h = options.health().get();
    ObjectNode body = Reply.object().put("status", h.status()).put("role", h.role());
    body.put("id", h.id());
    h.details().forEach(body::put);
    return Reply.json(
        h.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
  }

  private static Reply notAllowed(String path, HttpMethod method) {
    return Reply.error(
            HttpResponseStatus.METHOD_NOT_ALLOWED, path + " accepts only GET, not " + method)
        .withHeaders(Map.of("Allow", "GET"));
  }

  private void events(
      FullHttpRequest request, QueryStringDecoder uri, boolean keepAlive, HttpCaller caller) {
    String path = uri.path();
    String fromPath =
        path.length() > EVENTS.length() + 1 ? path.substring(EVENTS.length() + 1) : null;
    if (fromPath != null && fromPath.contains("/")) {
      replies.reply(
          keepAlive,
          Reply.error(
              HttpResponseStatus.NOT_FOUND,
              "no such path " + path + "; this endpoint serves " + SERVED));
      return;
    }
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      replies.reply(keepAlive, webhookValidation(request));
      return;
    }
    if (!method.equals(HttpMethod.POST)) {
      replies.reply(
          keepAlive,
          Reply.error(
                  HttpResponseStatus.METHOD_NOT_ALLOWED,
                  path + " accepts only POST (and OPTIONS), not " + method)
              .withHeaders(Map.of("Allow", "POST, OPTIONS")));
      return;
    }
    List<String> query = uri.parameters().get("shape");
    String shape = fromPath != null ? fromPath : query == null ? null : query.get(0);
    ReplyQueue.Slot slot = replies.reserve(keepAlive);
    if (slot == null) {
      return; // the connection is closing; a request after "Connection: close" is not answered
    }
    CompletionStage<Reply> reply =
        ingest.post(request, shape, fromPath != null, remote, caller.name());
    reply.whenComplete(
        (r, e) ->
            replies.complete(
                slot,
                e == null
                    ? r
                    : Reply.error(
                        HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e)));
  }

  /**
   * The CloudEvents webhook abuse-protection handshake (Event Grid's validation for its CloudEvents
   * schema): agree to deliveries from the origin that asks. A plain OPTIONS gets the methods.
   */
  private static Reply webhookValidation(FullHttpRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Allow", "POST, OPTIONS");
    String origin = request.headers().get("WebHook-Request-Origin");
    ObjectNode body = Reply.object().put("allow", "POST, OPTIONS");
    if (origin != null && !origin.isBlank()) {
      headers.put("WebHook-Allowed-Origin", origin.trim());
      String rate = request.headers().get("WebHook-Request-Rate");
      headers.put("WebHook-Allowed-Rate", rate == null || rate.isBlank() ? "*" : rate.trim());
      body.put("webhookAllowedOrigin", origin.trim());
      log.info("CloudEvents webhook validation from origin {} answered", origin.trim());
    }
    return Reply.json(HttpResponseStatus.OK, body).withHeaders(headers);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}

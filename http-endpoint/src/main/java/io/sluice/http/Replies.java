package io.sluice.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes the endpoint's responses: JSON bodies, or text for metrics. */
final class Replies {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json; charset=utf-8";

  private Replies() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** {@code {"error": message}} with this status. */
  static void error(
      ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String message) {
    json(ctx, keepAlive, status, object().put("error", message));
  }

  static void json(
      ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ObjectNode body) {
    send(ctx, keepAlive, status, JSON_TYPE, jsonBytes(body));
  }

  static void text(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      HttpResponseStatus status,
      String contentType,
      String text) {
    send(ctx, keepAlive, status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  static FullHttpResponse response(
      HttpResponseStatus status, String contentType, byte[] body, boolean keepAlive) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return r;
  }

  private static void send(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      HttpResponseStatus status,
      String contentType,
      byte[] body) {
    FullHttpResponse r = response(status, contentType, body, keepAlive);
    var f = ctx.writeAndFlush(r);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  static byte[] jsonBytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON reply", e);
    }
  }
}

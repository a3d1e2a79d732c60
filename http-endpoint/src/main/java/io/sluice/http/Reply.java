package io.sluice.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One response of the endpoint, as data until it is written (so that replies can wait for their
 * turn on a connection).
 *
 * @param headers extra headers
 * @param close close the connection after this reply, whatever the request asked
 */
record Reply(
    HttpResponseStatus status,
    String contentType,
    byte[] body,
    Map<String, String> headers,
    boolean close) {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JSON_TYPE = "application/json; charset=utf-8";

  Reply {
    headers = Map.copyOf(headers);
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static Reply json(HttpResponseStatus status, ObjectNode body) {
    return new Reply(status, JSON_TYPE, jsonBytes(body), Map.of(), false);
  }

  /** {@code {"error": message}} with this status. */
  static Reply error(HttpResponseStatus status, String message) {
    return json(status, object().put("error", message));
  }

  static Reply text(HttpResponseStatus status, String contentType, String text) {
    return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of(), false);
  }

  Reply closing() {
    return new Reply(status, contentType, body, headers, true);
  }

  Reply withHeaders(Map<String, String> extra) {
    return new Reply(status, contentType, body, extra, close);
  }

  FullHttpResponse toResponse(boolean keepAlive) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    headers.forEach((k, v) -> r.headers().set(k, v));
    return r;
  }

  static byte[] jsonBytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON reply", e);
    }
  }
}

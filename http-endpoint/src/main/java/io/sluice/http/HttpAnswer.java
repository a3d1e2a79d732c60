package io.sluice.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of an {@link HttpRoutes} route or an {@link HttpGuard}'s refusal.
 *
 * @param status the HTTP status code
 * @param contentType its Content-Type
 * @param body its bytes
 * @param headers extra headers (Set-Cookie, Location, Retry-After ...)
 */
public record HttpAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {
  public HttpAnswer {
    headers = Map.copyOf(headers);
  }

  public HttpAnswer(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  /** A JSON body with this status. */
  public static HttpAnswer json(int status, JsonNode body) {
    return new HttpAnswer(
        status, Reply.JSON_TYPE, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"error": message}} with this status (404, 400, ...). */
  public static HttpAnswer error(int status, String message) {
    return json(status, Reply.object().put("error", message));
  }

  /** Text of the given type (a page, a script). */
  public static HttpAnswer text(int status, String contentType, String text) {
    return new HttpAnswer(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /** This answer with one more header. */
  public HttpAnswer withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpAnswer(status, contentType, body, h);
  }

  Reply reply() {
    return new Reply(
        io.netty.handler.codec.http.HttpResponseStatus.valueOf(status),
        contentType,
        body,
        headers,
        false);
  }
}

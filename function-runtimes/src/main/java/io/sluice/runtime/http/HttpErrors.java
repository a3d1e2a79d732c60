package io.sluice.runtime.http;

import io.sluice.runtime.FunctionException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The error types of the {@code http} runtime (what {@code retryOn} and {@code catch} match on) and
 * the pieces of their messages: the URL without its query or credentials (a query may carry a key)
 * and an excerpt of a body.
 */
public final class HttpErrors {
  /** A 5xx answer: retryable (with the wait of a {@code Retry-After} it carries). */
  public static final String HTTP_5XX = "Http5xx";

  /** A 429 answer: retryable, after its {@code Retry-After} when it has one. */
  public static final String HTTP_429 = "Http429";

  /** Any other 4xx answer: not retryable. */
  public static final String HTTP_4XX = "Http4xx";

  /** A 3xx answer (redirects are not followed): not retryable. */
  public static final String HTTP_3XX = "Http3xx";

  /** No connection, or it was refused, reset or closed before an answer: retryable. */
  public static final String CONNECTION_FAILED = "ConnectionFailed";

  /** A jq expression of {@code url}, {@code method} or {@code headers} failed on the input. */
  public static final String EXPRESSION_FAILED = "ExpressionFailed";

  static final int EXCERPT_CHARS = 200;

  private HttpErrors() {}

  /** {@code url} as it may be shown: scheme, host, port and path only. */
  static String safe(URI url) {
    if (url == null) {
      return "?";
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + path;
  }

  /** A URL given as text, shown without its query or credentials (best effort). */
  static String safe(String url) {
    int q = url.indexOf('?');
    String s = q < 0 ? url : url.substring(0, q);
    int at = s.indexOf('@');
    int scheme = s.indexOf("://");
    if (at > 0 && scheme > 0 && at > scheme) {
      s = s.substring(0, scheme + 3) + s.substring(at + 1);
    }
    return s;
  }

  /**
   * At most {@value #EXCERPT_CHARS} characters of {@code body}, on one line, quoted, with the total
   * size when cut; {@code (empty body)} for none.
   */
  static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    int take = Math.min(body.length, EXCERPT_CHARS * 4);
    String s = new String(body, 0, take, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    if (s.length() > EXCERPT_CHARS) {
      return "'" + s.substring(0, EXCERPT_CHARS) + "…' (" + body.length + " bytes)";
    }
    return take < body.length ? "'" + s + "…' (" + body.length + " bytes)" : "'" + s + "'";
  }

  static FunctionException of(String type, String message, boolean retryable) {
    return new FunctionException(type, message, retryable);
  }

  static FunctionException of(
      String type, String message, boolean retryable, Throwable cause, Duration retryAfter) {
    return new FunctionException(type, message, retryable, cause, retryAfter);
  }
}

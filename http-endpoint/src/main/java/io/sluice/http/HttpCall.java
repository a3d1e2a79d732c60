package io.sluice.http;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One request as the endpoint's guard and routes see it.
 *
 * @param method its method ({@code GET}, {@code POST}, ...)
 * @param path its decoded path, without the query
 * @param query its decoded query parameters
 * @param header a header's value by name (any case), or null
 * @param body its body (empty for none)
 * @param secure whether it came over HTTPS
 * @param caller who sent it ({@link HttpCaller#ANONYMOUS} before or without the guard)
 */
public record HttpCall(
    String method,
    String path,
    Map<String, List<String>> query,
    UnaryOperator<String> header,
    byte[] body,
    boolean secure,
    HttpCaller caller) {
  /** A GET of {@code path} with no headers, from nobody (tests, the default route). */
  public static HttpCall get(String path, Map<String, List<String>> query) {
    return new HttpCall("GET", path, query, name -> null, new byte[0], false, HttpCaller.ANONYMOUS);
  }

  /** The same request from {@code c}. */
  public HttpCall from(HttpCaller c) {
    return new HttpCall(method, path, query, header, body, secure, c);
  }
}

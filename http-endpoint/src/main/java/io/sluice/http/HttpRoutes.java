package io.sluice.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Routes a process adds to its endpoint beside health, metrics and events (the master's JSON API
 * and sign-in, docs/http-api.md). Called on an I/O thread: it must not block; a reply that takes
 * time (a call to workers) is a stage completed later, written in request order.
 */
@FunctionalInterface
public interface HttpRoutes {
  /** Serves nothing. */
  HttpRoutes NONE = (path, query) -> null;

  /**
   * Answers a GET of {@code path} (decoded, without the query) with its decoded {@code query}
   * parameters; null when the path is not one of its own (the endpoint answers 404 then).
   */
  CompletionStage<HttpAnswer> get(String path, Map<String, List<String>> query);

  /**
   * Answers any request, knowing who sent it; null when the path (or method) is not its own. By
   * default a GET is {@link #get}, other methods are not served.
   */
  default CompletionStage<HttpAnswer> serve(HttpCall call) {
    return call.method().equals("GET") ? get(call.path(), call.query()) : null;
  }
}

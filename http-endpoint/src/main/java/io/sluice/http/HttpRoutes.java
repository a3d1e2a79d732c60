package io.sluice.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * GET routes a process adds to its endpoint beside health, metrics and events (the master's JSON
 * API, docs/http-api.md). Called on an I/O thread: it must not block; a reply that takes time (a
 * call to workers) is a stage completed later, written in request order.
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
}

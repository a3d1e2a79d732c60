package io.sluice.http;

/**
 * Decides whether a request to {@code /events} or to the options' routes may go on (the master's
 * client tokens, docs/security.md); {@code /health} and {@code /metrics} are never guarded.
 */
@FunctionalInterface
public interface HttpGuard {
  /** Lets every request through. */
  HttpGuard OPEN = (method, path, authorization) -> null;

  /**
   * The answer that refuses the request (e.g. 401 or 403 with a JSON error), or null to serve it.
   *
   * @param method the request's method
   * @param path its decoded path
   * @param authorization its {@code Authorization} header, or null
   */
  HttpAnswer check(String method, String path, String authorization);
}

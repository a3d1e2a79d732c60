package io.sluice.master.auth;

import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.http.HttpAnswer;
import io.sluice.http.HttpGuard;

/**
 * The master's HTTP side of client tokens: {@code /events} needs {@code submit}, the JSON API
 * {@code /api} the role of its gRPC twin (listing instances {@code operate}, other reads {@code
 * submit}); 401 without a known token, 403 with too small a role. Other paths (the web page) are
 * not guarded, nor are {@code /health} and {@code /metrics}, which the endpoint never asks about.
 */
public final class HttpTokenGuard implements HttpGuard {
  private final TokenStore tokens;

  public HttpTokenGuard(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public HttpAnswer check(String method, String path, String authorization) {
    Role needed;
    if (path.equals("/events") || path.startsWith("/events/")) {
      needed = Role.SUBMIT;
    } else if (path.equals("/api/instances") || path.equals("/api/instances/")) {
      needed = Role.OPERATE;
    } else if (path.equals("/api") || path.startsWith("/api/")) {
      needed = Role.SUBMIT;
    } else {
      return null;
    }
    AuthInterceptor.Decision d =
        AuthInterceptor.decide(tokens, method + " " + path, needed, authorization);
    if (d.refusal() == null) {
      return null;
    }
    int status = d.refusal().getCode() == Status.Code.UNAUTHENTICATED ? 401 : 403;
    return HttpAnswer.error(status, d.refusal().getDescription());
  }
}

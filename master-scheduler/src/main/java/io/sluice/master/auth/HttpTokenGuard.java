package io.sluice.master.auth;

import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.http.HttpAnswer;
import io.sluice.http.HttpCall;
import io.sluice.http.HttpCaller;
import io.sluice.http.HttpGuard;

/**
 * The master's HTTP side of client tokens (docs/security.md): {@code /events} and the JSON API
 * {@code /api} need {@code submit} (a {@code submit} caller sees only its own instances, which the
 * API checks), {@code /metrics} any role when {@code security.web.metrics: token}; 401 without a
 * known credential, 403 with too small a role. A credential is {@code Authorization: Bearer TOKEN}
 * or the browser session's cookie ({@link WebSessions}); a POST authenticated by the cookie must
 * also come from the page itself (a same-origin {@code Origin} or an {@code X-Sluice-Csrf} header,
 * besides the cookie's SameSite=Strict). The web page, {@code /signin} and {@code /signout} are not
 * guarded; {@code /health} never reaches a guard.
 */
public final class HttpTokenGuard implements HttpGuard {
  static final String CSRF_HEADER = "X-Sluice-Csrf";
  private final TokenStore tokens;
  private final WebSessions sessions;
  private final boolean metricsOpen;

  public HttpTokenGuard(TokenStore tokens) {
    this(tokens, null, true);
  }

  /**
   * @param sessions the browser sessions whose cookie is accepted, or null for none
   * @param metricsOpen whether {@code /metrics} answers without a credential
   */
  public HttpTokenGuard(TokenStore tokens, WebSessions sessions, boolean metricsOpen) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.metricsOpen = metricsOpen;
  }

  @Override
  public Verdict check(HttpCall call) {
    String path = call.path();
    Role needed;
    if (path.equals("/metrics")) {
      if (metricsOpen) {
        return Verdict.ANONYMOUS;
      }
      needed = Role.SUBMIT;
    } else if (path.equals("/events") || path.startsWith("/events/")) {
      needed = Role.SUBMIT;
    } else if (path.equals("/api") || path.startsWith("/api/")) {
      needed = Role.SUBMIT;
    } else {
      return Verdict.ANONYMOUS;
    }
    String what = call.method() + " " + path;
    String authorization = call.header().apply("Authorization");
    String cookie = sessions == null ? null : WebSessions.cookie(call.header().apply("Cookie"));
    if (authorization == null && cookie != null) {
      return bySession(call, what, needed, cookie);
    }
    AuthInterceptor.Decision d = AuthInterceptor.decide(tokens, what, needed, authorization);
    if (d.refusal() != null) {
      int status = d.refusal().getCode() == Status.Code.UNAUTHENTICATED ? 401 : 403;
      return Verdict.refuse(HttpAnswer.error(status, d.refusal().getDescription()));
    }
    return Verdict.allow(caller(d.caller(), false));
  }

  private Verdict bySession(HttpCall call, String what, Role needed, String cookie) {
    TokenFile.Entry e = sessions.verify(cookie);
    if (e == null) {
      return Verdict.refuse(
          HttpAnswer.error(
              401,
              "the browser session has expired or ended (its token was removed or changed);"
                  + " sign in again"));
    }
    if (!e.role().covers(needed)) {
      return Verdict.refuse(
          HttpAnswer.error(
              403,
              what
                  + " needs role "
                  + needed.configName()
                  + "; "
                  + e.name()
                  + " has role "
                  + e.role().configName()));
    }
    String csrf = crossSite(call);
    if (csrf != null) {
      return Verdict.refuse(HttpAnswer.error(403, csrf));
    }
    return Verdict.allow(caller(e, true));
  }

  /**
   * Why a request authenticated by the cookie looks cross-site, or null: reads are served; other
   * methods need an {@code Origin} of this endpoint or, without one, the {@value #CSRF_HEADER}
   * header (a cross-site form cannot set it, a cross-site script cannot without a preflight this
   * endpoint never grants).
   */
  static String crossSite(HttpCall call) {
    String m = call.method();
    if (m.equals("GET") || m.equals("HEAD")) {
      return null;
    }
    String origin = call.header().apply("Origin");
    String host = call.header().apply("Host");
    if (origin != null && !origin.equals("null")) {
      String self = (call.secure() ? "https://" : "http://") + host;
      if (host != null && origin.equalsIgnoreCase(self)) {
        return null;
      }
      return "cross-site request refused: Origin "
          + origin
          + " is not this endpoint ("
          + self
          + "); a signed-in browser may post only from the master's page";
    }
    if (call.header().apply(CSRF_HEADER) != null) {
      return null;
    }
    return m
        + " "
        + call.path()
        + " with the session cookie needs the header "
        + CSRF_HEADER
        + ": 1 (or a same-origin Origin); send Authorization: Bearer TOKEN from scripts";
  }

  static HttpCaller caller(TokenFile.Entry e, boolean cookie) {
    return new HttpCaller(e.name(), e.role().configName(), cookie);
  }
}

package io.sluice.master.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.master.audit.AuditInterceptor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * On the master's WorkflowService when {@code security.tokens} is set: each call must carry {@code
 * authorization: Bearer TOKEN} of an entry whose role covers the call ({@link RpcRoles}) or,
 * without a token, come over TLS with a client certificate ({@code OU=client}, its {@code CN} the
 * name and {@code O} the role: {@link ClientCertificates}), else it ends UNAUTHENTICATED or
 * PERMISSION_DENIED before the service sees it. The entry's name becomes the audit line's
 * principal. Runs inside {@link AuditInterceptor}, so refusals are audited too.
 */
public final class AuthInterceptor implements ServerInterceptor {
  /** The authenticated caller's entry. */
  public static final Context.Key<TokenFile.Entry> CALLER = Context.key("sluice-caller");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String UNKNOWN =
      "missing or unknown token (send authorization: Bearer TOKEN; see docs/security.md)";

  private final TokenStore tokens;

  public AuthInterceptor(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    javax.net.ssl.SSLSession ssl =
        call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_SSL_SESSION);
    Decision d =
        decide(
            tokens,
            method,
            RpcRoles.needed(method),
            headers.get(AUTHORIZATION),
            () -> ClientCertificates.caller(ssl));
    if (d.caller() != null) {
      AtomicReference<String> principal = AuditInterceptor.PRINCIPAL.get();
      if (principal != null) {
        principal.set(d.caller().name());
      }
    }
    if (d.refusal() != null) {
      call.close(d.refusal(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(CALLER, d.caller()), call, headers, next);
  }

  /** A caller (null when unknown) and the refusal (null when allowed). */
  public record Decision(TokenFile.Entry caller, Status refusal) {}

  /**
   * Whether the holder of {@code authorization} (the header's value, or null) may call {@code
   * method}; shared with the HTTP endpoint.
   */
  public static Decision decide(TokenStore tokens, String method, String authorization) {
    return decide(tokens, method, RpcRoles.needed(method), authorization);
  }

  /** As {@link #decide(TokenStore, String, String)} with the role needed given. */
  public static Decision decide(TokenStore tokens, String what, Role needed, String authorization) {
    return decide(tokens, what, needed, authorization, java.util.Optional::empty);
  }

  /**
   * As {@link #decide(TokenStore, String, Role, String)}; without a bearer token, the caller a
   * client certificate names ({@code certificate}: {@link ClientCertificates#caller}) is taken.
   */
  static Decision decide(
      TokenStore tokens,
      String what,
      Role needed,
      String authorization,
      java.util.function.Supplier<java.util.Optional<TokenFile.Entry>> certificate) {
    String token = bearer(authorization);
    TokenFile.Entry e = token == null || tokens == null ? null : tokens.authenticate(token);
    if (token == null) {
      try {
        e = certificate.get().orElse(null);
      } catch (IllegalArgumentException bad) {
        return new Decision(null, Status.UNAUTHENTICATED.withDescription(bad.getMessage()));
      }
    }
    if (e == null) {
      return new Decision(null, Status.UNAUTHENTICATED.withDescription(UNKNOWN));
    }
    if (!e.role().covers(needed)) {
      return new Decision(
          e,
          Status.PERMISSION_DENIED.withDescription(
              what
                  + " needs role "
                  + needed.configName()
                  + "; "
                  + e.name()
                  + " has role "
                  + e.role().configName()));
    }
    return new Decision(e, null);
  }

  /** The token of {@code Bearer TOKEN} (scheme in any case), or null. */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = a.substring(7).strip();
    return t.isEmpty() ? null : t;
  }
}

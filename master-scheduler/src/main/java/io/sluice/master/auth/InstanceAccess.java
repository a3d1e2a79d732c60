package io.sluice.master.auth;

import io.grpc.Status;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which instances a caller may read (docs/security.md): {@code operate} and {@code admin} every
 * one, {@code submit} only those it started. Without authentication (no caller) everything is
 * readable. Shared by the gRPC service and the JSON API.
 */
public final class InstanceAccess {
  private InstanceAccess() {}

  /**
   * Why {@code caller} may not read instance {@code id} started by {@code owner}, or null when it
   * may.
   */
  public static String refusal(String id, String owner, TokenFile.Entry caller) {
    if (caller == null || caller.role().covers(Role.OPERATE) || caller.name().equals(owner)) {
      return null;
    }
    return "instance "
        + id
        + " was started by "
        + (owner == null || owner.isEmpty() ? "an unauthenticated client" : owner)
        + "; role submit reads only its own instances";
  }

  /**
   * Throws PERMISSION_DENIED when the current gRPC caller ({@link AuthInterceptor#CALLER}) may not
   * read instance {@code id}; an instance nobody knows ({@code owners} empty) is left to the call
   * (NOT_FOUND).
   */
  public static void checkCaller(String id, Function<String, Optional<String>> owners) {
    TokenFile.Entry caller = AuthInterceptor.CALLER.get();
    if (caller == null || caller.role().covers(Role.OPERATE)) {
      return;
    }
    Optional<String> owner = owners.apply(id);
    String no = owner.isEmpty() ? null : refusal(id, owner.get(), caller);
    if (no != null) {
      throw Status.PERMISSION_DENIED.withDescription(no).asRuntimeException();
    }
  }

  /** The principal a listing is limited to for {@code caller} (a submit's own name), or null. */
  public static String ownOnly(TokenFile.Entry caller) {
    return caller == null || caller.role().covers(Role.OPERATE) ? null : caller.name();
  }

  /** The current gRPC caller's name, or empty without authentication. */
  public static String principal() {
    TokenFile.Entry caller = AuthInterceptor.CALLER.get();
    return caller == null ? "" : caller.name();
  }
}

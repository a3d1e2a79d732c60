package io.sluice.faastore;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place Redis client errors become {@link StoreException}s, retryable or not. */
final class RedisErrors {
  /** Server replies that mean "not now" rather than "never". */
  private static final List<String> TRANSIENT_REPLIES =
      List.of("OOM", "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "READONLY", "CLUSTERDOWN");

  private RedisErrors() {}

  static StoreException map(Throwable error, String what, String where) {
    Throwable e = unwrap(error);
    if (e instanceof StoreException se) {
      return se;
    }
    String context = what + " at Redis " + where;
    String login = loginRefused(e);
    if (login != null) {
      return new StoreException(
          context + " was refused: " + login + " (check the store's Redis username and password)",
          null);
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new StoreUnavailableException(
          context + " timed out (" + e.getMessage() + "); Redis is slow or unreachable, retry", e);
    }
    if (e instanceof RedisCommandExecutionException reply) {
      String msg = String.valueOf(reply.getMessage());
      if (TRANSIENT_REPLIES.stream().anyMatch(msg::startsWith)) {
        return new StoreUnavailableException(context + " was refused for now: " + msg, e);
      }
      return new StoreException(context + " failed: " + msg, e);
    }
    if (e instanceof RedisException) {
      // Connection refused, closed, reset or not yet re-established.
      return new StoreUnavailableException(
          context + " failed: " + e.getMessage() + "; check that Redis is running, then retry", e);
    }
    return new StoreException(context + " failed: " + e, e);
  }

  /**
   * The server's reply when it refused the login (a wrong password or user, none given, or a user
   * without the rights), else null. The cause is left out of the exception: nothing in it is more
   * useful, and a message never carries a password anyway.
   */
  static String loginRefused(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null
          && (m.startsWith("WRONGPASS")
              || m.startsWith("NOAUTH")
              || m.startsWith("NOPERM")
              || m.startsWith("ERR AUTH")
              || m.contains("AUTH <password> called without any password"))) {
        return m.strip();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}

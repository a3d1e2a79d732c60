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

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}

package io.sluice.faastore.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.sluice.faastore.StoreException;
import io.sluice.faastore.StoreUnavailableException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place store errors become gRPC statuses (server side) and back (client side). */
final class PeerStatus {
  /** Codes after which the same call may succeed: the peer is down, slow, or restarting. */
  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.CANCELLED);

  private PeerStatus() {}

  /** Server side: what a failed store operation tells the calling worker. */
  static StatusRuntimeException toStatus(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    Status status =
        e instanceof StoreUnavailableException
            ? Status.UNAVAILABLE
            : e instanceof StoreException ? Status.FAILED_PRECONDITION : Status.INTERNAL;
    return status.withDescription(e.getMessage()).withCause(e).asRuntimeException();
  }

  /**
   * Client side: {@code what} (e.g. "push of i/n/k") at worker {@code worker} ({@code address})
   * failed with {@code error}. Transport failures are retryable; a peer's refusal is not.
   */
  static StoreException toStoreException(
      Throwable error, String what, String worker, String address) {
    Throwable e = unwrap(error);
    if (e instanceof StoreException se) {
      return se;
    }
    Status status = Status.fromThrowable(e);
    String context = what + " at peer worker " + worker + " (" + address + ")";
    if (RETRYABLE.contains(status.getCode())) {
      return new StoreUnavailableException(
          context
              + " failed: "
              + describe(status)
              + "; the peer is down, unreachable or slow, retry or read from the remote store",
          e);
    }
    return new StoreException(context + " was refused: " + describe(status), e);
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static String describe(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof StatusException s ? s.getStatus().asRuntimeException(s.getTrailers()) : e;
  }
}

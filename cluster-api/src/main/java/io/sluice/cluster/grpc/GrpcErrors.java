package io.sluice.cluster.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.ClusterException;
import io.sluice.model.DefinitionException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where exceptions become gRPC {@link Status}es, on every server of the project
 * (master, worker, FaaStore's peer data service), and where a failed call is judged retryable.
 *
 * <ul>
 *   <li>bad input ({@link IllegalArgumentException}, {@link DefinitionException} with every
 *       problem, {@link ClusterException.Reason#INVALID}): INVALID_ARGUMENT;
 *   <li>{@link ClusterException.Reason#NOT_FOUND}: NOT_FOUND;
 *   <li>{@link ClusterException.Reason#REFUSED}: FAILED_PRECONDITION;
 *   <li>{@link ClusterException.Reason#UNAVAILABLE}, {@link IOException}, {@link TimeoutException}:
 *       UNAVAILABLE;
 *   <li>{@link ClusterException.Reason#EXHAUSTED}: RESOURCE_EXHAUSTED;
 *   <li>anything else: INTERNAL with its message.
 * </ul>
 *
 * <p>Retryable codes: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED and CANCELLED
 * (the other side went away mid-call); every other code means the same call would fail again.
 */
public final class GrpcErrors {
  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.CANCELLED);

  private GrpcErrors() {}

  /** The status for a failure (completion wrappers are unwrapped). */
  public static Status status(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (t instanceof StatusException s) {
      return s.getStatus();
    }
    Status code;
    if (t instanceof ClusterException c) {
      code =
          switch (c.reason()) {
            case INVALID -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case REFUSED -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
          };
    } else if (t instanceof IllegalArgumentException || t instanceof DefinitionException) {
      code = Status.INVALID_ARGUMENT;
    } else if (t instanceof IOException || t instanceof TimeoutException) {
      code = Status.UNAVAILABLE;
    } else {
      code = Status.INTERNAL;
    }
    return code.withDescription(message(t)).withCause(t);
  }

  /** The exception to hand to gRPC for a failure. */
  public static StatusRuntimeException toStatusException(Throwable failure) {
    return status(failure).asRuntimeException();
  }

  /** Ends a call with the status for a failure. */
  public static void fail(StreamObserver<?> call, Throwable failure) {
    call.onError(toStatusException(failure));
  }

  /** A malformed request, refused with INVALID_ARGUMENT and {@code message}. */
  public static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** Whether a failed call may succeed if tried again later (the other side is away or busy). */
  public static boolean retryable(Throwable failure) {
    return RETRYABLE.contains(status(failure).getCode());
  }

  /**
   * The code and description of a failed call, for messages: {@code UNAVAILABLE (io exception)}.
   */
  public static String describe(Throwable failure) {
    Status s = status(failure);
    return s.getCode() + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")");
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}

package io.sluice.wire;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.faastore.StoreUnavailableException;
import io.sluice.model.DefinitionException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where exceptions become gRPC {@link Status}es: bad input ({@link
 * IllegalArgumentException}, {@link DefinitionException} with every problem) is INVALID_ARGUMENT,
 * an unknown instance or workflow ({@link NotFoundException}) is NOT_FOUND, an unreachable store or
 * peer is UNAVAILABLE, anything else INTERNAL with its message.
 */
public final class GrpcErrors {
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
    if (t instanceof IllegalArgumentException || t instanceof DefinitionException) {
      code = Status.INVALID_ARGUMENT;
    } else if (t instanceof NotFoundException) {
      code = Status.NOT_FOUND;
    } else if (t instanceof StoreUnavailableException
        || t instanceof IOException
        || t instanceof TimeoutException) {
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

  /** Whether a failed call may succeed if tried again later (the peer or master is away). */
  public static boolean retryable(Throwable failure) {
    Status.Code c = status(failure).getCode();
    return c == Status.Code.UNAVAILABLE
        || c == Status.Code.DEADLINE_EXCEEDED
        || c == Status.Code.RESOURCE_EXHAUSTED
        || c == Status.Code.ABORTED;
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

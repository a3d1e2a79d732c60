package io.sluice.sdk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * How the client makes a unary call: with the per-call deadline, retried on UNAVAILABLE when the
 * call is idempotent (with exponential backoff), and with a failure turned into a {@link
 * SluiceException} that names the call and the master.
 *
 * <p>Only UNAVAILABLE is retried: it means the request did not reach a master that could answer
 * (nothing listens, the connection broke, the master is restarting). DEADLINE_EXCEEDED is not: the
 * deadline is the caller's bound on the whole call.
 */
final class Calls {
  /** What a NOT_FOUND answer is about, so it becomes the right exception. */
  enum Subject {
    INSTANCE,
    WORKFLOW,
    OTHER
  }

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String target;
  private final WorkflowServiceBlockingStub stub;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration backoff;
  private final Runnable reconnect;

  /**
   * {@code reconnect} runs before each retry: the channel's own reconnect backoff (seconds,
   * growing) would otherwise fail the retry at once while the master is back already.
   */
  Calls(
      String target,
      WorkflowServiceBlockingStub stub,
      Duration deadline,
      int maxAttempts,
      Duration backoff,
      Runnable reconnect) {
    this.target = target;
    this.stub = stub;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.reconnect = reconnect;
  }

  /** Makes {@code call} (the RPC's name, for messages); retried only if {@code idempotent}. */
  <T> T unary(
      String call,
      Subject subject,
      boolean idempotent,
      Function<WorkflowServiceBlockingStub, T> rpc) {
    int attempt = 1;
    while (true) {
      try {
        return rpc.apply(stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
      } catch (StatusRuntimeException e) {
        boolean again =
            idempotent
                && attempt < maxAttempts
                && e.getStatus().getCode() == Status.Code.UNAVAILABLE;
        if (!again) {
          throw error(call, subject, e, attempt);
        }
        pause(backoff(attempt));
        reconnect.run();
        attempt++;
      }
    }
  }

  /** How long to wait before attempt {@code attempt + 1}: backoff, doubling, at most 5 s. */
  Duration backoff(int attempt) {
    long nanos = backoff.toNanos() << Math.min(attempt - 1, 20);
    return nanos <= 0 || nanos > MAX_BACKOFF.toNanos() ? MAX_BACKOFF : Duration.ofNanos(nanos);
  }

  int maxAttempts() {
    return maxAttempts;
  }

  void reconnect() {
    reconnect.run();
  }

  private static void pause(Duration d) {
    try {
      TimeUnit.NANOSECONDS.sleep(d.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("CANCELLED", "interrupted while waiting to retry", e);
    }
  }

  /** The exception for a failed call after {@code attempts} attempts. */
  SluiceException error(String call, Subject subject, Throwable failure, int attempts) {
    Status s = Status.fromThrowable(failure);
    String code = s.getCode().name();
    String what =
        s.getDescription() != null
            ? s.getDescription()
            : s.getCause() != null ? String.valueOf(s.getCause().getMessage()) : "";
    String head = call + " on the master at " + target + " failed: " + code;
    String tail = what.isEmpty() ? "" : ": " + what;
    return switch (s.getCode()) {
      case NOT_FOUND ->
          switch (subject) {
            case INSTANCE -> new InstanceNotFoundException(code, head + tail, failure);
            case WORKFLOW -> new WorkflowNotFoundException(code, head + tail, failure);
            case OTHER -> new NotFoundException(code, head + tail, failure);
          };
      case INVALID_ARGUMENT, OUT_OF_RANGE ->
          new InvalidRequestException(code, head + tail, failure);
      case FAILED_PRECONDITION, ALREADY_EXISTS, RESOURCE_EXHAUSTED, ABORTED ->
          new RefusedException(code, head + tail, failure);
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          new UnavailableException(
              code,
              head
                  + (attempts > 1 ? " after " + attempts + " attempts" : "")
                  + tail
                  + "; is a Sluice master running there?",
              failure);
      case UNIMPLEMENTED ->
          new UnsupportedByServerException(
              code, head + tail + " (the master is older than this client)", failure);
      default -> new SluiceException(code, head + tail, failure);
    };
  }
}

package io.sluice.cluster.api;

/**
 * A failure whose {@link Reason} decides, in one place ({@code io.sluice.cluster.grpc.GrpcErrors}),
 * the gRPC status it crosses the wire with and whether the same call may succeed if tried again.
 * Components throw subclasses of their own (for example FaaStore's store errors); the reason is
 * what every caller looks at.
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request failed, as the caller needs to know it. */
  public enum Reason {
    /** The request itself is wrong (a bad field, an invalid definition): do not retry. */
    INVALID,
    /** It names an instance, workflow, worker or value this process does not know. */
    NOT_FOUND,
    /** It was understood and refused in this state (e.g. a value over a limit): do not retry. */
    REFUSED,
    /** A component or service it needs is away (down, unreachable, restarting): retry later. */
    UNAVAILABLE,
    /** A quota, rate or capacity is used up for now: retry later. */
    EXHAUSTED;

    /** Whether the same request may succeed later. */
    public boolean retryable() {
      return this == UNAVAILABLE || this == EXHAUSTED;
    }
  }

  private final Reason reason;

  public ClusterException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ClusterException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Whether the same request may succeed later. */
  public boolean retryable() {
    return reason.retryable();
  }
}

package io.sluice.http;

/**
 * Thrown (or completed with) by an {@link EventSink} that refuses an event before routing it, e.g.
 * a client over its event rate: answered with {@code status} (429 for a rate) and, when {@code
 * retryAfterSeconds} is positive, a {@code Retry-After} header.
 */
public final class EventRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final long retryAfterSeconds;

  public EventRefusedException(int status, long retryAfterSeconds, String message) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

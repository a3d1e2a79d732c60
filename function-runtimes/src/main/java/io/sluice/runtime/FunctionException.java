package io.sluice.runtime;

import java.time.Duration;

/**
 * A function invocation failed. {@link #type()} is what retry ({@code retryOn}) and catch policies
 * match on; {@link #retryable()} says whether trying again can help at all (a missing function or a
 * bad setting cannot). No stack trace is captured: failures are data on the hot path.
 */
public final class FunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The attempt ran past its deadline. */
  public static final String TIMEOUT = "Timeout";

  /** The function itself reported an error or threw. */
  public static final String FUNCTION_FAILED = "FunctionFailed";

  /** No function or runtime by that name. */
  public static final String UNKNOWN_FUNCTION = "UnknownFunction";

  /** The function's settings are wrong (a missing command, a class that does not exist). */
  public static final String BAD_CONFIGURATION = "BadConfiguration";

  /** The function's output is not what the runtime expects (not JSON, too large). */
  public static final String BAD_OUTPUT = "BadOutput";

  /** A container's function ran out of memory and was killed at its limit (docker runtime). */
  public static final String OUT_OF_MEMORY = "OutOfMemory";

  /** A function's container exited during the call (docker runtime). */
  public static final String CONTAINER_EXITED = "ContainerExited";

  private final String type;
  private final boolean retryable;
  private final long retryAfterNanos;

  public FunctionException(String type, String message, boolean retryable) {
    this(type, message, retryable, null);
  }

  public FunctionException(String type, String message, boolean retryable, Throwable cause) {
    this(type, message, retryable, cause, Duration.ZERO);
  }

  /**
   * A failure after which the next attempt should wait at least {@code retryAfter} (what the
   * function's platform asked for, e.g. an HTTP {@code Retry-After}); the node's retry policy waits
   * the longer of its own backoff and this.
   */
  public FunctionException(
      String type, String message, boolean retryable, Throwable cause, Duration retryAfter) {
    super(message, cause, false, false);
    this.type = type;
    this.retryable = retryable;
    this.retryAfterNanos = nanos(retryAfter);
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The least wait before the next attempt the failing side asked for; zero when it asked none. */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  private static long nanos(Duration d) {
    if (d == null || d.isNegative()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** Unwraps completion wrappers and turns any throwable into a FunctionException. */
  public static FunctionException of(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof FunctionException f) {
      return f;
    }
    String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    return new FunctionException(FUNCTION_FAILED, msg, true, c);
  }
}

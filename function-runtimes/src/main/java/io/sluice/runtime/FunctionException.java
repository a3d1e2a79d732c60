package io.sluice.runtime;

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

  public FunctionException(String type, String message, boolean retryable) {
    this(type, message, retryable, null);
  }

  public FunctionException(String type, String message, boolean retryable, Throwable cause) {
    super(message, cause, false, false);
    this.type = type;
    this.retryable = retryable;
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
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

package io.sluice.sdk;

/**
 * The master did not answer (not running, unreachable, or slower than the deadline), after the
 * retries the client makes for idempotent calls.
 */
public class UnavailableException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

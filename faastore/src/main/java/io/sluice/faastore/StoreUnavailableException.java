package io.sluice.faastore;

/**
 * The store could not be reached in time (connection lost, command timed out, server loading or out
 * of memory). Retryable: the same operation may succeed later.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(Reason.UNAVAILABLE, message, cause);
  }
}

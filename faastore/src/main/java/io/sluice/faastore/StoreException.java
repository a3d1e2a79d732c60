package io.sluice.faastore;

/**
 * A store operation failed and trying again will not help (for example a value over the configured
 * maximum). {@link StoreUnavailableException} is the retryable kind.
 */
public class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same operation may succeed if tried again later. */
  public boolean retryable() {
    return false;
  }
}

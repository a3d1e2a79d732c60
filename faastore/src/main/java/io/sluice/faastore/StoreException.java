package io.sluice.faastore;

import io.sluice.cluster.api.ClusterException;

/**
 * A store operation failed and trying again will not help (for example a value over the configured
 * maximum). {@link StoreUnavailableException} is the retryable kind.
 */
public class StoreException extends ClusterException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(Reason.REFUSED, message);
  }

  public StoreException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }

  protected StoreException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}

package io.sluice.sdk;

/**
 * The request is well formed but the master cannot do it in its present state (a retired version,
 * an instance id used by another workflow, no capacity).
 */
public class RefusedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public RefusedException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

package io.sluice.sdk;

/** The instance or workflow a call named is not on the master. */
public class NotFoundException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

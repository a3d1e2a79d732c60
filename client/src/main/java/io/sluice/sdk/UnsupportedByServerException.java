package io.sluice.sdk;

/** The master does not implement the call: it is older than this client. */
public class UnsupportedByServerException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public UnsupportedByServerException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

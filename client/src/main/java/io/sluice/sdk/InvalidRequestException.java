package io.sluice.sdk;

/**
 * The master refused the request as malformed: a definition with problems (the message lists them
 * with their file and line), input that is not JSON, a missing field.
 */
public class InvalidRequestException extends SluiceException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

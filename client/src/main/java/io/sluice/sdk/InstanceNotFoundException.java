package io.sluice.sdk;

/**
 * No instance with the id is on the master (finished instances are kept for a while, see
 * docs/client.md).
 */
public class InstanceNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public InstanceNotFoundException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}

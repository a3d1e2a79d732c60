package io.sluice.wire;

/** A request names an instance, workflow or worker this process does not know (gRPC NOT_FOUND). */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}

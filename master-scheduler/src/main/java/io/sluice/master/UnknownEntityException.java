package io.sluice.master;

/** A request names a workflow or instance the master does not know (NOT_FOUND on the wire). */
public final class UnknownEntityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownEntityException(String message) {
    super(message);
  }
}

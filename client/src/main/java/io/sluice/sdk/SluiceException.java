package io.sluice.sdk;

/**
 * A call to the master failed. The message says which call, on which master, and what the master
 * (or the network) answered, in one line. Subclasses say why, so callers can catch what they can
 * handle:
 *
 * <ul>
 *   <li>{@link NotFoundException} (NOT_FOUND): {@link InstanceNotFoundException}, {@link
 *       WorkflowNotFoundException};
 *   <li>{@link InvalidRequestException} (INVALID_ARGUMENT): a definition with problems, bad input;
 *   <li>{@link RefusedException} (FAILED_PRECONDITION, ALREADY_EXISTS, RESOURCE_EXHAUSTED): the
 *       master cannot do it now (a retired version, no live worker, ...);
 *   <li>{@link UnavailableException} (UNAVAILABLE, DEADLINE_EXCEEDED): the master did not answer,
 *       after the retries the client was built with for idempotent calls;
 *   <li>{@link UnsupportedByServerException} (UNIMPLEMENTED): the master is older than the client.
 * </ul>
 *
 * Anything else (INTERNAL, UNKNOWN, ...) is a plain SluiceException; {@link #code()} is the gRPC
 * status code's name in every case.
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public SluiceException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code's name (NOT_FOUND, UNAVAILABLE, ...). */
  public String code() {
    return code;
  }
}

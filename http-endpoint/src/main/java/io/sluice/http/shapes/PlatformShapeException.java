package io.sluice.http.shapes;

/**
 * A payload that is not a valid event of the platform shape it was read as (or of any recognised
 * shape); the message names the shape, the element (e.g. {@code aws-s3 record 1}) and the field.
 */
public final class PlatformShapeException extends Exception {
  private static final long serialVersionUID = 1L;

  public PlatformShapeException(String message) {
    super(message);
  }
}

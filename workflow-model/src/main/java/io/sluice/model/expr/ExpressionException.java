package io.sluice.model.expr;

/** A jq expression does not compile, or failed on the data it was given. */
public final class ExpressionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String message, Throwable cause) {
    super(message, cause);
  }
}

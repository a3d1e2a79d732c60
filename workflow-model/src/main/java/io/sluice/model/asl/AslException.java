package io.sluice.model.asl;

/**
 * Something in an ASL document that cannot be translated; the importer adds where and which state.
 */
final class AslException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AslException(String message) {
    super(message);
  }
}

package io.sluice.cli;

/**
 * A command that cannot go on, with the one line that says why and the exit code to end with. The
 * launcher prints {@code sluice: MESSAGE} on stderr: no stack trace, no usage text.
 */
final class CliFailure extends RuntimeException {
  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}

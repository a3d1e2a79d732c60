package io.sluice.engine.internal;

/**
 * The lifecycle of one node in one instance. WAITING -> READY -> RUNNING -> (RETRY_WAIT ->
 * RUNNING)* -> COMPLETED | FAILED (caught); or WAITING -> SKIPPING -> SKIPPED. Stored as a byte per
 * node; {@link #check} fails loudly on an illegal transition.
 */
final class NodeState {
  static final byte WAITING = 0;
  static final byte READY = 1;
  static final byte RUNNING = 2;
  static final byte RETRY_WAIT = 3;
  static final byte COMPLETED = 4;
  static final byte FAILED = 5;
  static final byte SKIPPING = 6;
  static final byte SKIPPED = 7;

  private static final String[] NAMES = {
    "WAITING", "READY", "RUNNING", "RETRY_WAIT", "COMPLETED", "FAILED", "SKIPPING", "SKIPPED"
  };

  private NodeState() {}

  static String name(byte s) {
    return NAMES[s];
  }

  /** Whether {@code from -> to} is a legal transition. */
  static boolean legal(byte from, byte to) {
    return switch (from) {
      case WAITING -> to == READY || to == SKIPPING;
      case READY -> to == RUNNING || to == FAILED;
      case RUNNING -> to == COMPLETED || to == FAILED || to == RETRY_WAIT;
      case RETRY_WAIT -> to == RUNNING;
      case SKIPPING -> to == SKIPPED;
      default -> false;
    };
  }
}

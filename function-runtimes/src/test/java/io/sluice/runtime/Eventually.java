package io.sluice.runtime;

import java.util.function.BooleanSupplier;

/** Waits for a condition that becomes true asynchronously (never a timing assertion). */
public final class Eventually {
  private Eventually() {}

  public static void until(String what, BooleanSupplier condition) {
    for (int i = 0; i < 600; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    throw new AssertionError("gave up waiting for " + what);
  }
}

package io.sluice.runtime;

import io.sluice.time.Scheduler;
import java.util.Objects;

/**
 * What every runtime is built with.
 *
 * @param scheduler time and timers
 * @param timeScale the synthetic runtime sleeps {@code computeTime * timeScale} (0 = no sleep)
 * @param dataScale the synthetic runtime outputs {@code outputBytes * dataScale} bytes
 * @param maxOutputBytes largest output a function may return; larger fails with {@code BadOutput}
 */
public record RuntimeOptions(
    Scheduler scheduler, double timeScale, double dataScale, long maxOutputBytes) {
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 256L * 1024 * 1024;

  public RuntimeOptions {
    Objects.requireNonNull(scheduler, "scheduler");
    if (timeScale < 0 || dataScale < 0) {
      throw new IllegalArgumentException(
          "time and data scale must not be negative: " + timeScale + ", " + dataScale);
    }
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
    }
  }

  public static RuntimeOptions of(Scheduler scheduler) {
    return new RuntimeOptions(scheduler, 1.0, 1.0, DEFAULT_MAX_OUTPUT_BYTES);
  }
}

package io.sluice.bench.workflow;

import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * Arrival times of an open-loop load: a Poisson process of {@code rate} instances per second, i.e.
 * exponentially distributed gaps of mean {@code 1/rate} seconds, drawn from Commons Math's {@link
 * ExponentialDistribution} on a {@link Well19937c} generator seeded with {@code seed}, so one seed
 * gives the same arrivals on every run.
 */
public final class PoissonArrivals {
  private final ExponentialDistribution gaps;
  private long nextNanos;

  /** Arrivals at {@code rate} per second (> 0), from the given seed. */
  public PoissonArrivals(double rate, long seed) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be positive, got " + rate);
    }
    // Commons Math's ExponentialDistribution takes the mean (here: seconds between arrivals).
    this.gaps =
        new ExponentialDistribution(
            new Well19937c(seed),
            1.0 / rate,
            ExponentialDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
  }

  /** The next arrival, in nanoseconds from the start (non-decreasing). */
  public long next() {
    nextNanos += Math.round(gaps.sample() * 1e9);
    return nextNanos;
  }

  /** The first {@code n} arrivals. */
  public long[] first(int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = next();
    }
    return out;
  }

  /** Every arrival before {@code durationNanos} (bounded: at most {@code max}). */
  public long[] within(long durationNanos, int max) {
    long[] buf = new long[16];
    int n = 0;
    while (n < max) {
      long t = next();
      if (t >= durationNanos) {
        break;
      }
      if (n == buf.length) {
        buf = java.util.Arrays.copyOf(buf, n * 2);
      }
      buf[n++] = t;
    }
    return java.util.Arrays.copyOf(buf, n);
  }
}

package io.sluice.bench.workflow;

import java.util.Arrays;

/** The arithmetic of the harness's figures, in one place so the tests pin it down. */
public final class Stats {
  private Stats() {}

  /**
   * The {@code p}-th percentile by nearest rank: the smallest value with at least {@code p}% of the
   * values at or below it, i.e. sorted[ceil(p/100 x n) - 1]. NaN for no values.
   */
  public static double percentile(double[] values, double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The median: the 50th percentile by nearest rank (the lower middle of an even count). */
  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /** The largest value, NaN for none. */
  public static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  /** The mean, NaN for none. */
  public static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  /** {@code value / baseline}, NaN when either is missing or the baseline is 0. */
  public static double ratio(double value, double baseline) {
    if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
      return Double.NaN;
    }
    return value / baseline;
  }

  /** Events per second over a window; NaN for an empty window. */
  public static double perSecond(double count, long windowNanos) {
    return windowNanos <= 0 ? Double.NaN : count * 1e9 / windowNanos;
  }
}

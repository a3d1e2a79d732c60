package io.sluice.bench.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoissonArrivalsTest {
  @Test
  void meanGapIsOneOverTheRateWithinThreeStandardErrors() {
    double rate = 50;
    int n = 20_000;
    long[] at = new PoissonArrivals(rate, 42).first(n);
    double meanGapSeconds = at[n - 1] / 1e9 / n;
    double expected = 1 / rate;
    // The mean of n exponential gaps has standard error expected / sqrt(n).
    double bound = 3 * expected / Math.sqrt(n);
    assertThat(Math.abs(meanGapSeconds - expected)).isLessThan(bound);
    for (int i = 1; i < n; i++) {
      assertThat(at[i]).isGreaterThanOrEqualTo(at[i - 1]);
    }
  }

  @Test
  void gapsAreExponentialNotRegular() {
    long[] at = new PoissonArrivals(10, 7).first(10_000);
    int shorterThanMean = 0;
    long prev = 0;
    for (long t : at) {
      if (t - prev < 100_000_000L) {
        shorterThanMean++;
      }
      prev = t;
    }
    // P(gap < mean) = 1 - 1/e = 0.632 for an exponential; +-3 sigma over 10,000 gaps is +-0.015.
    assertThat(shorterThanMean / 10_000.0).isBetween(0.617, 0.647);
  }

  @Test
  void aSeedGivesTheSameArrivals() {
    assertThat(new PoissonArrivals(20, 1).first(100))
        .isEqualTo(new PoissonArrivals(20, 1).first(100));
    assertThat(new PoissonArrivals(20, 1).first(100))
        .isNotEqualTo(new PoissonArrivals(20, 2).first(100));
  }

  @Test
  void withinStopsAtTheDuration() {
    long[] at = new PoissonArrivals(100, 3).within(2_000_000_000L, 1_000_000);
    assertThat(java.util.Arrays.stream(at).max().orElse(0)).isLessThan(2_000_000_000L);
    // about 200 arrivals in 2 s at 100/s; Poisson standard deviation ~14
    assertThat(at.length).isBetween(150, 250);
  }
}

package io.sluice.master.membership;

/**
 * One worker's phi-accrual failure detector (Hayashibara et al., "The φ Accrual Failure Detector",
 * 2004; the variant of Akka and Cassandra): it keeps the last {@link #WINDOW} heartbeat
 * inter-arrival times and says, for a silence of {@code t}, how suspicious that silence is: {@code
 * phi(t) = -log10(P(a live worker's next interval > t))}, the interval taken as normally
 * distributed with the window's mean and standard deviation (at least {@code minStdDeviation}). Phi
 * 1 means a one-in-ten chance of being wrong to suspect, phi 8 one in 10^8. Not thread-safe: {@link
 * Membership} calls it under its lock.
 */
final class PhiAccrual {
  /** Intervals kept: 100 heartbeats, 50 s at the default 500 ms. */
  static final int WINDOW = 100;

  private final long[] intervals = new long[WINDOW];
  private final long minStdNanos;
  private int count;
  private int next;
  private long sum;
  private double sumSquares;
  private long lastNanos;

  /**
   * A detector that starts out expecting heartbeats every {@code expectedNanos} (one sample), from
   * {@code nowNanos} (the registration).
   */
  PhiAccrual(long expectedNanos, long minStdNanos, long nowNanos) {
    this.minStdNanos = minStdNanos;
    this.lastNanos = nowNanos;
    add(expectedNanos);
  }

  /**
   * A heartbeat arrived at {@code nowNanos}: its interval since the previous one joins the window.
   */
  void heartbeat(long nowNanos) {
    add(Math.max(0, nowNanos - lastNanos));
    lastNanos = nowNanos;
  }

  private void add(long interval) {
    if (count == WINDOW) {
      long old = intervals[next];
      sum -= old;
      sumSquares -= (double) old * old;
    } else {
      count++;
    }
    intervals[next] = interval;
    next = (next + 1) % WINDOW;
    sum += interval;
    sumSquares += (double) interval * interval;
  }

  long lastNanos() {
    return lastNanos;
  }

  int samples() {
    return count;
  }

  double meanNanos() {
    return (double) sum / count;
  }

  /** The window's standard deviation, not floored. */
  double stdDeviationNanos() {
    double mean = meanNanos();
    return Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
  }

  private double effectiveStd() {
    return Math.max(minStdNanos, stdDeviationNanos());
  }

  /** The suspicion after {@code silenceNanos} without a heartbeat. */
  double phi(long silenceNanos) {
    return phi(silenceNanos, meanNanos(), effectiveStd());
  }

  /**
   * Phi for a silence against a normal distribution, with the logistic approximation of its tail
   * that Akka uses (error below 0.1 % and no overflow far out in the tail).
   */
  static double phi(double silence, double mean, double std) {
    double y = (silence - mean) / std;
    double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    return silence > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
  }

  /**
   * The least silence at which phi reaches {@code threshold}, to the nearest microsecond (phi grows
   * with the silence, so a bisection finds it), at most {@code capNanos}.
   */
  long silenceReaching(double threshold, long capNanos) {
    if (phi(capNanos) < threshold) {
      return capNanos;
    }
    long lo = 0;
    long hi = capNanos;
    while (hi - lo > 1_000) {
      long mid = lo + (hi - lo) / 2;
      if (phi(mid) >= threshold) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }
}

package io.sluice.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How workers heartbeat and when the master declares one dead. Workers heartbeat every {@code
 * interval}. The master runs a phi-accrual failure detector (Hayashibara et al., as in Akka and
 * Cassandra) over each worker's recent heartbeat inter-arrival times: a worker is declared dead
 * once its silence is at least {@link #deadAfter()} ({@code interval × missedAllowed}, the floor)
 * and phi, the suspicion that grows with the silence measured against the worker's own recent
 * intervals, reaches {@code phiThreshold}; or, whatever phi says, once the silence reaches {@code
 * maxSilence}. On a quiet machine heartbeats are regular and the floor decides (today's {@code
 * deadAfter}); on a busy host the intervals spread and phi lets a live worker be late.
 *
 * @param interval how often workers heartbeat
 * @param missedAllowed intervals without a heartbeat before a worker may be declared dead (the
 *     floor)
 * @param phiThreshold the suspicion at which a worker silent for at least the floor is declared
 *     dead (8: the chance that a live worker with these intervals stays this silent is about 10^-8)
 * @param minStdDeviation the least spread of intervals the detector assumes (regular heartbeats
 *     would otherwise make any jitter look like a death)
 * @param maxSilence the longest silence tolerated however irregular the history: a worker that
 *     stopped is declared dead by then at the latest; workers give each heartbeat this long to
 *     arrive
 */
public record HeartbeatConfig(
    Duration interval,
    int missedAllowed,
    double phiThreshold,
    Duration minStdDeviation,
    Duration maxSilence) {
  /**
   * The default suspicion threshold: 10, Akka's for remote death watch (Cassandra and Akka's
   * cluster use 8); it lets a worker whose heartbeats grow late step by step stay alive through
   * stalls of several seconds.
   */
  public static final double DEFAULT_PHI_THRESHOLD = 10.0;

  /** The default longest silence, in heartbeat intervals (10 s at the default 500 ms). */
  public static final int DEFAULT_MAX_SILENCE_INTERVALS = 20;

  public static final HeartbeatConfig DEFAULT = new HeartbeatConfig(Duration.ofMillis(500), 4);

  public HeartbeatConfig {
    Objects.requireNonNull(interval, "heartbeat interval");
    Objects.requireNonNull(minStdDeviation, "heartbeat minStdDeviation");
    Objects.requireNonNull(maxSilence, "heartbeat maxSilence");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
    }
    if (missedAllowed < 1) {
      throw new IllegalArgumentException(
          "heartbeat missedAllowed must be >= 1, got " + missedAllowed);
    }
    if (!(phiThreshold > 0) || phiThreshold > 100) {
      throw new IllegalArgumentException(
          "heartbeat phiThreshold must be > 0 and <= 100, got " + phiThreshold);
    }
    if (minStdDeviation.isZero() || minStdDeviation.isNegative()) {
      throw new IllegalArgumentException(
          "heartbeat minStdDeviation must be positive, got " + minStdDeviation);
    }
    if (maxSilence.compareTo(interval.multipliedBy(missedAllowed)) < 0) {
      throw new IllegalArgumentException(
          "heartbeat maxSilence ("
              + maxSilence.toMillis()
              + " ms) must be at least interval × missedAllowed ("
              + interval.multipliedBy(missedAllowed).toMillis()
              + " ms)");
    }
  }

  /**
   * {@code interval} and {@code missedAllowed} with the detector's defaults: phi threshold 10, a
   * least spread of a quarter interval (Akka's first estimate), and a longest silence of 20
   * intervals (never below the floor).
   */
  public HeartbeatConfig(Duration interval, int missedAllowed) {
    this(
        interval,
        missedAllowed,
        DEFAULT_PHI_THRESHOLD,
        defaultMinStdDeviation(interval),
        defaultMaxSilence(interval, missedAllowed));
  }

  /** A quarter of an interval (at least 1 ms). */
  public static Duration defaultMinStdDeviation(Duration interval) {
    Objects.requireNonNull(interval, "heartbeat interval");
    Duration quarter = interval.dividedBy(4);
    return quarter.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : quarter;
  }

  /** 20 intervals, or the floor {@code interval × missedAllowed} when that is longer. */
  public static Duration defaultMaxSilence(Duration interval, int missedAllowed) {
    Objects.requireNonNull(interval, "heartbeat interval");
    long n = Math.max(DEFAULT_MAX_SILENCE_INTERVALS, Math.max(1, missedAllowed));
    return interval.multipliedBy(n);
  }

  /** The least silence after which a worker may be declared dead (the detector's floor). */
  public Duration deadAfter() {
    return interval.multipliedBy(missedAllowed);
  }
}

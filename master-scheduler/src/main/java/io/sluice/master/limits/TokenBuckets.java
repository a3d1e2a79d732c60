package io.sluice.master.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client key: {@code burst} tokens at most, refilled at {@code perSecond}. A
 * client that sends faster than the rate is refused until its bucket refills, while a quiet one may
 * send a burst at once. Buckets of clients that went quiet are dropped once the map grows past
 * {@link #MAX_KEYS}, so a scan from many addresses cannot grow it without bound.
 */
public final class TokenBuckets {
  static final int MAX_KEYS = 10_000;
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond tokens added per second; 0 for no limit
   * @param burst the most tokens a bucket holds
   * @param nanos the clock ({@link System#nanoTime} outside tests)
   */
  public TokenBuckets(double perSecond, int burst, LongSupplier nanos) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
  }

  /** Whether there is no limit at all. */
  public boolean unlimited() {
    return perSecond <= 0;
  }

  /**
   * Takes one token from {@code key}'s bucket.
   *
   * @return 0 when taken, else the nanoseconds until a token is there (nothing taken)
   */
  public long take(String key) {
    if (unlimited()) {
      return 0;
    }
    long now = nanos.getAsLong();
    if (buckets.size() > MAX_KEYS) {
      buckets.values().removeIf(b -> b.full(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(now)).take(now);
  }

  private final class Bucket {
    private double tokens = burst;
    private long last;

    Bucket(long now) {
      last = now;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1e9));
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
    }
  }
}

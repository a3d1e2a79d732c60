package io.sluice.runtime;

/**
 * Where a runtime that calls a function on another host reports the function's own time, so the
 * caller does not count the round trip as compute (an experiment's critical path and scheduling
 * overhead depend on it). Written once by the runtime before it completes the call's future; read
 * by the caller after it completed.
 */
public final class CallTime {
  private volatile long computeNanos = -1;

  /** The function ran for {@code nanos} where it ran. */
  public void report(long nanos) {
    computeNanos = nanos;
  }

  /** The reported time, or {@code measuredNanos} (the caller's own measure) when none was. */
  public long computeNanos(long measuredNanos) {
    long c = computeNanos;
    return c >= 0 ? c : measuredNanos;
  }
}

package io.sluice.runtime;

/**
 * Where a runtime reports what only it knows of one call, for the caller to read after the call's
 * future completed: the function's own time when it ran on another host, so the caller does not
 * count the round trip as compute (an experiment's critical path and scheduling overhead depend on
 * it); and the call's output log (a process's stderr, a container's log, a java function's log
 * lines), which the engine hands to its {@code CallLogs}. Written by the runtime before it
 * completes the call's future.
 */
public final class CallTime {
  /** The most a log keeps by default, in UTF-8 bytes: its last bytes. */
  public static final int DEFAULT_LOG_BYTES = 64 * 1024;

  /**
   * A call's output log.
   *
   * @param stream where it came from: {@code stderr}, {@code container} or {@code log}
   * @param text its text (the last bytes when truncated)
   * @param truncated the function wrote more; {@code text} is its end
   */
  public record Log(String stream, String text, boolean truncated) {}

  private volatile long computeNanos = -1;
  private volatile Log log;

  /** The function ran for {@code nanos} where it ran. */
  public void report(long nanos) {
    computeNanos = nanos;
  }

  /** The reported time, or {@code measuredNanos} (the caller's own measure) when none was. */
  public long computeNanos(long measuredNanos) {
    long c = computeNanos;
    return c >= 0 ? c : measuredNanos;
  }

  /** The call's output log (a second report replaces the first). */
  public void log(Log l) {
    log = l;
  }

  /** The call's output log, or null when the runtime reported none. */
  public Log log() {
    return log;
  }
}

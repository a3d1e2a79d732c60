package io.sluice.cluster.config;

/**
 * The {@code logs:} section: what a worker keeps of its function calls' output logs (a process's
 * stderr, a container's log, a java function's log lines) for {@code GetLogs}. Each call's log
 * keeps its last {@code entryBytes}; the logs of at most {@code instances} instances are kept, and
 * at most {@code totalBytes} in all: the oldest instance's logs go first.
 *
 * @param entryBytes the most one call's log keeps (its last bytes); 0 keeps no logs
 * @param instances the most instances whose logs are kept
 * @param totalBytes the most all kept logs hold
 */
public record LogsConfig(long entryBytes, int instances, long totalBytes) {
  public static final long DEFAULT_ENTRY_BYTES = 64 * 1024;
  public static final int DEFAULT_INSTANCES = 1_000;
  public static final long DEFAULT_TOTAL_BYTES = 64L * 1024 * 1024;

  public static final LogsConfig DEFAULT =
      new LogsConfig(DEFAULT_ENTRY_BYTES, DEFAULT_INSTANCES, DEFAULT_TOTAL_BYTES);

  public LogsConfig {
    if (entryBytes < 0 || entryBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "logs entrySize must be 0 .. 2 GiB - 1, got " + entryBytes);
    }
    if (instances < 1) {
      throw new IllegalArgumentException("logs instances must be >= 1, got " + instances);
    }
    if (totalBytes < entryBytes) {
      throw new IllegalArgumentException(
          "logs totalSize (" + totalBytes + ") must be at least entrySize (" + entryBytes + ")");
    }
  }
}

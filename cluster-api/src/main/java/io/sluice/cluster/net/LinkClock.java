package io.sluice.cluster.net;

import io.sluice.cluster.config.LinkConfig;

/**
 * The timing model of one direction of one emulated connection: a chunk read at time {@code t} of
 * {@code s} bytes departs at {@code d = max(t, previous departure) + s / bandwidth} (serialization:
 * chunks queue behind each other) and arrives at {@code d + latency} (propagation). Arrival times
 * never decrease, so chunks keep their order. Not thread-safe: one reader thread stamps chunks.
 */
final class LinkClock {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Serialization time of one chunk at most, so a chunk's first bytes are held back little. */
  private static final long CHUNK_NANOS = 250_000;

  private static final int MIN_CHUNK = 4 << 10;
  private static final int MAX_CHUNK = 64 << 10;

  private final long latencyNanos;
  private final long bandwidth;
  private long lastDeparture = Long.MIN_VALUE;

  LinkClock(LinkConfig link) {
    this.latencyNanos = link.latency().toNanos();
    this.bandwidth = link.bandwidth();
  }

  /** When a chunk of {@code size} bytes read at {@code readAt} (System.nanoTime) arrives. */
  long arrival(long readAt, long size) {
    long departure = Math.max(readAt, lastDeparture) + serializationNanos(size);
    lastDeparture = departure;
    return departure + latencyNanos;
  }

  /** How long {@code size} bytes take to leave at this link's bandwidth, rounded up. */
  long serializationNanos(long size) {
    if (bandwidth == LinkConfig.UNLIMITED || size == 0) {
      return 0;
    }
    return Math.multiplyExact(size, NANOS_PER_SECOND) / bandwidth
        + (Math.multiplyExact(size, NANOS_PER_SECOND) % bandwidth == 0 ? 0 : 1);
  }

  /**
   * The most bytes read as one chunk: 64 KiB, or less on a paced link so that a chunk takes at most
   * 250 µs to leave (never below 4 KiB): a message's last byte arrives when the model says, and a
   * following message's first bytes wait little behind it.
   */
  static int chunkBytes(LinkConfig link) {
    if (!link.paced()) {
      return MAX_CHUNK;
    }
    long bytes = link.bandwidth() / (NANOS_PER_SECOND / CHUNK_NANOS);
    return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, bytes));
  }
}

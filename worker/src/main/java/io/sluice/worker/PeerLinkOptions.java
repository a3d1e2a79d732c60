package io.sluice.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker's peer streams behave.
 *
 * @param maxBatch most events in one {@code EventBatch} (a batch carries whatever is queued, up to
 *     this)
 * @param initialBackoff wait before the first reconnect after a stream broke
 * @param maxBackoff the longest wait between reconnects (the wait doubles up to it)
 */
public record PeerLinkOptions(int maxBatch, Duration initialBackoff, Duration maxBackoff) {
  public static final PeerLinkOptions DEFAULT =
      new PeerLinkOptions(256, Duration.ofMillis(20), Duration.ofSeconds(2));

  public PeerLinkOptions {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("peer maxBatch must be >= 1, got " + maxBatch);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "peer backoff must satisfy 0 < initialBackoff <= maxBackoff, got "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
  }
}

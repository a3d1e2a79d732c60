package io.sluice.cluster.config;

import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The cost the cluster's emulated network links add (the {@code links:} section,
 * docs/configuration.md): every master-worker, worker-worker and worker-Redis connection goes
 * through a shaping relay ({@code io.sluice.cluster.net.LinkEmulator}) that delays each direction
 * of each connection by {@code latency} and paces it to {@code bandwidth}, so a cluster on one
 * machine pays what a network would charge for every message and round trip.
 *
 * @param latency one-way propagation delay of each direction of each connection, zero or more
 * @param bandwidth bytes per second of each direction of each connection; {@link #UNLIMITED} (0)
 *     for no pacing
 */
public record LinkConfig(Duration latency, long bandwidth) {
  /** The {@code bandwidth} of a link that is not paced. */
  public static final long UNLIMITED = 0;

  public static final String LATENCY = "latency";
  public static final String BANDWIDTH = "bandwidth";

  public LinkConfig {
    Objects.requireNonNull(latency, LATENCY);
    if (latency.isNegative()) {
      throw new IllegalArgumentException("link latency must not be negative, got " + latency);
    }
    if (bandwidth < 0) {
      throw new IllegalArgumentException(
          "link bandwidth must be positive (or 0 for unlimited), got " + bandwidth);
    }
  }

  /** Whether each direction is paced to {@link #bandwidth()}. */
  public boolean paced() {
    return bandwidth != UNLIMITED;
  }

  /**
   * Reads a bandwidth written as bytes per second: a size in the one size rule ({@link ByteSizes},
   * KB = 1000, KiB = 1024) followed by {@code /s}, e.g. {@code 50MB/s} or {@code 1GiB/s}; or {@code
   * unlimited} ({@link #UNLIMITED}).
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static long parseBandwidth(String text) {
    String t = text.trim();
    if (t.toLowerCase(Locale.ROOT).equals("unlimited")) {
      return UNLIMITED;
    }
    String hint = "write bytes per second like 50MB/s, 1GiB/s or 125000B/s, or unlimited";
    if (!t.toLowerCase(Locale.ROOT).endsWith("/s")) {
      throw new IllegalArgumentException("bad bandwidth '" + text + "': " + hint);
    }
    long bytes;
    try {
      bytes = ByteSizes.parse(t.substring(0, t.length() - 2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad bandwidth '" + text + "': " + hint, e);
    }
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          "bad bandwidth '" + text + "': must be more than 0 bytes per second");
    }
    return bytes;
  }

  /** {@code 50MB/s}, or {@code unlimited}; {@link #parseBandwidth} reads it back. */
  public static String formatBandwidth(long bytesPerSecond) {
    return bytesPerSecond == UNLIMITED ? "unlimited" : ByteSizes.format(bytesPerSecond) + "/s";
  }

  @Override
  public String toString() {
    return "latency " + Durations.format(latency) + ", bandwidth " + formatBandwidth(bandwidth);
  }
}

package io.sluice.bench.workflow;

import java.util.Objects;

/**
 * What one cluster of the sweep is: the configuration values that need their own master and
 * workers. Modes and loads are per instance, so configurations that differ only in those share a
 * cluster and run back to back on it.
 *
 * @param store the store mode ({@code memory}, {@code tiered}, {@code redis})
 * @param partitioner {@code critical-path} or {@code hash}
 * @param workers worker processes
 * @param linkLatency emulated link latency as written ({@code 1ms}), or null for none
 * @param linkBandwidth emulated link bandwidth as written ({@code 50MB/s}), or null for none
 * @param progress whether workers report node steps to the master ({@code progress:} on or off):
 *     the reports share the master's connection and CPU with the instances measured
 * @param tls whether every connection between members is mutual TLS ({@code security.tls}; {@code
 *     --cluster jvm} only): the cost of TLS on a whole run
 */
public record ClusterSpec(
    String store,
    String partitioner,
    int workers,
    String linkLatency,
    String linkBandwidth,
    boolean progress,
    boolean tls) {
  /** A plaintext cluster. */
  public ClusterSpec(
      String store,
      String partitioner,
      int workers,
      String linkLatency,
      String linkBandwidth,
      boolean progress) {
    this(store, partitioner, workers, linkLatency, linkBandwidth, progress, false);
  }

  /** A cluster with progress reporting on (the default of cluster configs). */
  public ClusterSpec(
      String store, String partitioner, int workers, String linkLatency, String linkBandwidth) {
    this(store, partitioner, workers, linkLatency, linkBandwidth, true);
  }

  public ClusterSpec {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(partitioner, "partitioner");
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
    }
  }

  /** Whether the cluster's links are emulated (the config gets a {@code links:} section). */
  public boolean hasLinks() {
    return linkLatency != null || linkBandwidth != null;
  }

  /** Whether the store needs a Redis server. */
  public boolean needsRedis() {
    return !store.equals("memory");
  }

  /** {@code on} or {@code off}, as {@code --tls} writes it. */
  public String tlsValue() {
    return tls ? "on" : "off";
  }

  /** {@code on} or {@code off}, as {@code --progress} and the config write it. */
  public String progressValue() {
    return progress ? "on" : "off";
  }

  /**
   * A name for the cluster's folder and config, e.g. {@code tiered-critical-path-3w} ({@code
   * -noprogress} appended when reporting is off).
   */
  public String name() {
    String n = store + "-" + partitioner + "-" + workers + "w";
    if (linkLatency != null) {
      n += "-lat" + linkLatency;
    }
    if (linkBandwidth != null) {
      n += "-bw" + linkBandwidth.replace("/", "p");
    }
    if (!progress) {
      n += "-noprogress";
    }
    if (tls) {
      n += "-tls";
    }
    return n.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

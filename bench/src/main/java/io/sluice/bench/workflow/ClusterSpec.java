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
 */
public record ClusterSpec(
    String store, String partitioner, int workers, String linkLatency, String linkBandwidth) {
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

  /** A name for the cluster's folder and config, e.g. {@code tiered-critical-path-3w}. */
  public String name() {
    String n = store + "-" + partitioner + "-" + workers + "w";
    if (linkLatency != null) {
      n += "-lat" + linkLatency;
    }
    if (linkBandwidth != null) {
      n += "-bw" + linkBandwidth.replace("/", "p");
    }
    return n.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

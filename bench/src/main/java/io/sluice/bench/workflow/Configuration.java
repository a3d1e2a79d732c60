package io.sluice.bench.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One point of the sweep: a mode and a load on a cluster. Every workflow of the run is measured at
 * every configuration.
 *
 * @param mode {@code worker} (WorkerSP) or {@code master} (MasterSP)
 * @param cluster the cluster it runs on
 * @param load the load offered
 */
public record Configuration(String mode, ClusterSpec cluster, Load load) {
  public Configuration {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(load, "load");
  }

  /** The value of a dimension by its name (as {@code --baseline} writes it). */
  public String value(String dimension) {
    return switch (dimension) {
      case "mode" -> mode;
      case "store" -> cluster.store();
      case "partitioner" -> cluster.partitioner();
      case "workers" -> Integer.toString(cluster.workers());
      case "link-latency" -> String.valueOf(cluster.linkLatency());
      case "link-bandwidth" -> String.valueOf(cluster.linkBandwidth());
      case "progress" -> cluster.progressValue();
      case "tls" -> cluster.tlsValue();
      case "clients" -> load.closed() ? Integer.toString(load.clients()) : "-";
      case "rate" -> load.closed() ? "-" : Format.num(load.rate());
      default -> throw new IllegalArgumentException("unknown dimension " + dimension);
    };
  }

  /** This configuration with one dimension set to another value (for baselines). */
  public Configuration with(String dimension, String v) {
    ClusterSpec c = cluster;
    String lat = c.linkLatency();
    String bw = c.linkBandwidth();
    boolean p = c.progress();
    boolean t = c.tls();
    return switch (dimension) {
      case "mode" -> new Configuration(v, c, load);
      case "store" -> on(new ClusterSpec(v, c.partitioner(), c.workers(), lat, bw, p, t));
      case "partitioner" -> on(new ClusterSpec(c.store(), v, c.workers(), lat, bw, p, t));
      case "workers" ->
          on(new ClusterSpec(c.store(), c.partitioner(), Integer.parseInt(v), lat, bw, p, t));
      case "link-latency" ->
          on(new ClusterSpec(c.store(), c.partitioner(), c.workers(), v, bw, p, t));
      case "link-bandwidth" ->
          on(new ClusterSpec(c.store(), c.partitioner(), c.workers(), lat, v, p, t));
      case "progress" ->
          on(new ClusterSpec(c.store(), c.partitioner(), c.workers(), lat, bw, onOff(v), t));
      case "tls" ->
          on(new ClusterSpec(c.store(), c.partitioner(), c.workers(), lat, bw, p, onOff(v)));
      case "clients" -> new Configuration(mode, c, Load.clients(Integer.parseInt(v)));
      case "rate" -> new Configuration(mode, c, Load.rate(Double.parseDouble(v)));
      default -> throw new IllegalArgumentException("unknown dimension " + dimension);
    };
  }

  /** {@code on} -> true, {@code off} -> false, else {@link IllegalArgumentException}. */
  public static boolean onOff(String v) {
    return switch (v) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("must be on or off, got " + v);
    };
  }

  /** This mode and load on cluster {@code c}. */
  private Configuration on(ClusterSpec c) {
    return new Configuration(mode, c, load);
  }

  /**
   * A short label naming only the dimensions that vary in the sweep, e.g. {@code worker tiered}, so
   * chart legends and tables stay readable; {@code all} when nothing varies.
   */
  public String label(List<String> varying) {
    List<String> parts = new ArrayList<>();
    for (String d : varying) {
      parts.add(
          switch (d) {
            case "workers" -> cluster.workers() + "w";
            case "link-latency" -> "lat " + cluster.linkLatency();
            case "link-bandwidth" -> "bw " + cluster.linkBandwidth();
            case "progress" -> "progress " + cluster.progressValue();
            case "tls" -> "tls " + cluster.tlsValue();
            case "clients", "rate" -> load.label();
            default -> value(d);
          });
    }
    return parts.isEmpty() ? mode + " " + cluster.store() : String.join(" ", parts);
  }
}

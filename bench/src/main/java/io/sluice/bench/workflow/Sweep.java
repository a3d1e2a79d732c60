package io.sluice.bench.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values each configuration option of {@code bench workflow} takes, and their cross product.
 * Configurations come out grouped by cluster (store, partitioner, workers, links, progress), in the
 * order the values were given, so every configuration of one cluster runs back to back on the same
 * processes and sees the same machine state; modes and loads vary fastest.
 *
 * @param modes {@code worker}, {@code master}
 * @param stores {@code memory}, {@code tiered}, {@code redis}
 * @param partitioners {@code critical-path}, {@code hash}
 * @param workers worker counts
 * @param linkLatencies link latencies as written, or a single null for none
 * @param linkBandwidths link bandwidths as written, or a single null for none
 * @param progress whether workers report progress ({@code true} = on), in the order given
 * @param loads the loads offered (all closed or all open)
 */
public record Sweep(
    List<String> modes,
    List<String> stores,
    List<String> partitioners,
    List<Integer> workers,
    List<String> linkLatencies,
    List<String> linkBandwidths,
    List<Boolean> progress,
    List<Load> loads,
    List<Boolean> tls) {
  /** The dimensions in the order labels and tables show them. */
  public static final List<String> DIMENSIONS =
      List.of(
          "mode",
          "store",
          "partitioner",
          "workers",
          "link-latency",
          "link-bandwidth",
          "progress",
          "tls",
          "clients",
          "rate");

  public Sweep {
    for (List<?> l :
        List.of(
            modes,
            stores,
            partitioners,
            workers,
            linkLatencies,
            linkBandwidths,
            progress,
            loads,
            tls)) {
      Objects.requireNonNull(l);
      if (l.isEmpty()) {
        throw new IllegalArgumentException("every configuration option needs at least one value");
      }
    }
    modes = List.copyOf(modes);
    stores = List.copyOf(stores);
    partitioners = List.copyOf(partitioners);
    workers = List.copyOf(workers);
    linkLatencies = java.util.Collections.unmodifiableList(new ArrayList<>(linkLatencies));
    linkBandwidths = java.util.Collections.unmodifiableList(new ArrayList<>(linkBandwidths));
    progress = List.copyOf(progress);
    loads = List.copyOf(loads);
    tls = List.copyOf(tls);
  }

  /** A plaintext sweep (no TLS axis). */
  public Sweep(
      List<String> modes,
      List<String> stores,
      List<String> partitioners,
      List<Integer> workers,
      List<String> linkLatencies,
      List<String> linkBandwidths,
      List<Boolean> progress,
      List<Load> loads) {
    this(
        modes,
        stores,
        partitioners,
        workers,
        linkLatencies,
        linkBandwidths,
        progress,
        loads,
        List.of(false));
  }

  /** A sweep with progress reporting on throughout (the config's default). */
  public Sweep(
      List<String> modes,
      List<String> stores,
      List<String> partitioners,
      List<Integer> workers,
      List<String> linkLatencies,
      List<String> linkBandwidths,
      List<Load> loads) {
    this(modes, stores, partitioners, workers, linkLatencies, linkBandwidths, List.of(true), loads);
  }

  /** Every combination, grouped by cluster (see the type's comment). */
  public List<Configuration> configurations() {
    List<Configuration> out = new ArrayList<>();
    for (ClusterSpec c : clusters()) {
      for (String m : modes) {
        for (Load l : loads) {
          out.add(new Configuration(m, c, l));
        }
      }
    }
    return out;
  }

  /** The distinct clusters, in run order. */
  public List<ClusterSpec> clusters() {
    List<ClusterSpec> out = new ArrayList<>();
    for (String s : stores) {
      for (String p : partitioners) {
        for (int w : workers) {
          for (String lat : linkLatencies) {
            for (String bw : linkBandwidths) {
              for (boolean on : progress) {
                for (boolean secure : tls) {
                  out.add(new ClusterSpec(s, p, w, lat, bw, on, secure));
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The configurations of the sweep grouped by the cluster they run on, in run order. */
  public Map<ClusterSpec, List<Configuration>> byCluster() {
    Map<ClusterSpec, List<Configuration>> out = new LinkedHashMap<>();
    for (Configuration c : configurations()) {
      out.computeIfAbsent(c.cluster(), k -> new ArrayList<>()).add(c);
    }
    return out;
  }

  /** The dimensions with more than one value (what labels need to tell configurations apart). */
  public List<String> varying() {
    List<String> out = new ArrayList<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("mode", modes.size());
    sizes.put("store", stores.size());
    sizes.put("partitioner", partitioners.size());
    sizes.put("workers", workers.size());
    sizes.put("link-latency", linkLatencies.size());
    sizes.put("link-bandwidth", linkBandwidths.size());
    sizes.put("progress", progress.size());
    sizes.put("tls", tls.size());
    boolean closed = loads.get(0).closed();
    sizes.put(closed ? "clients" : "rate", loads.size());
    sizes.forEach(
        (d, n) -> {
          if (n > 1) {
            out.add(d);
          }
        });
    return out;
  }

  /** Whether the loads are closed-loop clients (else open-loop rates). */
  public boolean closedLoop() {
    return loads.get(0).closed();
  }

  /** The values a dimension takes in the sweep, as {@link Configuration#value} writes them. */
  public List<String> values(String dimension) {
    return switch (dimension) {
      case "mode" -> modes;
      case "store" -> stores;
      case "partitioner" -> partitioners;
      case "workers" -> workers.stream().map(String::valueOf).toList();
      case "link-latency" -> linkLatencies.stream().map(String::valueOf).toList();
      case "link-bandwidth" -> linkBandwidths.stream().map(String::valueOf).toList();
      case "progress" -> progress.stream().map(on -> on ? "on" : "off").toList();
      case "tls" -> tls.stream().map(on -> on ? "on" : "off").toList();
      case "clients" ->
          closedLoop()
              ? loads.stream().map(l -> Integer.toString(l.clients())).toList()
              : List.of("-");
      case "rate" ->
          closedLoop() ? List.of("-") : loads.stream().map(l -> Format.num(l.rate())).toList();
      default ->
          throw new IllegalArgumentException(
              "unknown dimension '" + dimension + "'; one of " + DIMENSIONS);
    };
  }
}

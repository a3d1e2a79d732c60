package io.sluice.bench.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster config (docs/configuration.md) the harness writes for one {@link ClusterSpec}: every
 * process on 127.0.0.1 with ports picked free just before, a generous heartbeat (a loaded 2-core
 * machine must not make the master declare a worker dead), the store, and — only when emulated
 * links were asked for — a top-level {@code links:} section; {@code progress: off} when the sweep
 * measures without progress reporting (on is the config's default, so nothing is written then).
 *
 * @param masterGrpc the master's gRPC port
 * @param masterHttp the master's HTTP port
 * @param workerPorts per worker, its gRPC and HTTP ports
 */
record ClusterYaml(int masterGrpc, int masterHttp, List<int[]> workerPorts) {
  static final String HEARTBEAT_INTERVAL = "500ms";
  static final int MISSED_ALLOWED = 40;
  static final int SLOTS = 8;
  static final String WORKER_MEMORY = "512MiB";

  /** Free ephemeral ports on 127.0.0.1 for a master and {@code workers} workers. */
  static ClusterYaml freePorts(int workers) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] p = new int[2 + 2 * workers];
      for (int i = 0; i < p.length; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        p[i] = s.getLocalPort();
      }
      List<int[]> w = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        w.add(new int[] {p[2 + 2 * i], p[3 + 2 * i]});
      }
      return new ClusterYaml(p[0], p[1], w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is free either way
        }
      }
    }
  }

  /** The config text; {@code redis} is HOST:PORT or null (store without Redis). */
  String render(String name, ClusterSpec spec, String redis) {
    StringBuilder y = new StringBuilder();
    y.append("# Written by sluice bench workflow for one cluster of its sweep.\n");
    y.append("name: ").append(name).append('\n');
    y.append("master: {host: 127.0.0.1, grpcPort: ")
        .append(masterGrpc)
        .append(", httpPort: ")
        .append(masterHttp)
        .append("}\n");
    y.append("heartbeat: {interval: ")
        .append(HEARTBEAT_INTERVAL)
        .append(", missedAllowed: ")
        .append(MISSED_ALLOWED)
        .append("}\n");
    y.append("partitioner: ").append(spec.partitioner()).append('\n');
    y.append("store: {mode: ").append(spec.store());
    if (redis != null) {
      y.append(", redis: redis://").append(redis);
    }
    y.append("}\n");
    if (!spec.progress()) {
      y.append("progress: off\n");
    }
    if (spec.hasLinks()) {
      List<String> kv = new ArrayList<>();
      if (spec.linkLatency() != null) {
        kv.add("latency: " + spec.linkLatency());
      }
      if (spec.linkBandwidth() != null) {
        kv.add("bandwidth: " + spec.linkBandwidth());
      }
      y.append("links: {").append(String.join(", ", kv)).append("}\n");
    }
    y.append("workers:\n");
    for (int i = 0; i < workerPorts.size(); i++) {
      y.append("  - {id: w")
          .append(i + 1)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(workerPorts.get(i)[0])
          .append(", httpPort: ")
          .append(workerPorts.get(i)[1])
          .append(", slots: ")
          .append(SLOTS)
          .append(", memory: ")
          .append(WORKER_MEMORY)
          .append("}\n");
    }
    return y.toString();
  }
}

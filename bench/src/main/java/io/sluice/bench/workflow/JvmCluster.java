package io.sluice.bench.workflow;

import io.sluice.client.LocalCluster;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.master.partition.Partitioner;
import java.net.URI;
import java.util.Optional;

/**
 * {@code --cluster jvm}: the master and workers inside the harness's JVM over gRPC on loopback
 * ({@link LocalCluster}, as {@code sluice run --workers N}). Fast to start, so tests use it; the
 * figures share one JVM's heap, GC and threads with the client, unlike real processes.
 */
final class JvmCluster implements BenchCluster {
  private final LocalCluster cluster;

  JvmCluster(ClusterSpec spec, String redis) {
    if (spec.hasLinks()) {
      throw new IllegalArgumentException(
          "--link-latency/--link-bandwidth need --cluster processes: links are emulated by the"
              + " worker processes from their cluster config");
    }
    StoreConfig.Builder b = StoreConfig.builder().mode(StoreMode.parse(spec.store()));
    if (redis != null) {
      b.redisUri(URI.create("redis://" + redis));
    }
    cluster =
        new LocalCluster(
            spec.workers(),
            b.build(),
            Partitioner.named(spec.partitioner()),
            Optional.empty(),
            spec.progress() ? ProgressConfig.DEFAULT : ProgressConfig.OFF);
  }

  @Override
  public String address() {
    return cluster.address();
  }

  @Override
  public void close() {
    cluster.close();
  }
}

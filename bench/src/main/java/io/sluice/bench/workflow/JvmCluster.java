package io.sluice.bench.workflow;

import io.sluice.client.LocalCluster;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.master.partition.Partitioner;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code --cluster jvm}: the master and workers inside the harness's JVM over gRPC on loopback
 * ({@link LocalCluster}, as {@code sluice run --workers N}). Fast to start, so tests use it; the
 * figures share one JVM's heap, GC and threads with the client, unlike real processes.
 */
final class JvmCluster implements BenchCluster {
  private final LocalCluster cluster;
  private final io.grpc.ChannelCredentials credentials;
  private Path tlsDir;

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
    Optional<SecurityConfig.Tls> tls =
        spec.tls() ? Optional.of(certificates(spec)) : Optional.empty();
    cluster =
        new LocalCluster(
            spec.workers(),
            b.build(),
            Partitioner.named(spec.partitioner()),
            Optional.empty(),
            spec.progress() ? ProgressConfig.DEFAULT : ProgressConfig.OFF,
            io.sluice.runtime.Secrets.ENVIRONMENT,
            tls);
    credentials = cluster.clientCredentials();
  }

  /** A fresh CA and the master's and workers' certificates, in a temporary folder. */
  private SecurityConfig.Tls certificates(ClusterSpec spec) {
    try {
      tlsDir = Files.createTempDirectory("sluice-bench-tls");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    SecurityConfig.Tls t = new SecurityConfig.Tls(tlsDir.toString());
    Duration day = Duration.ofDays(1);
    CertificateAuthority ca = CertificateAuthority.create("bench", day);
    ca.write(t.caCertificate(), tlsDir.resolve("ca.key"));
    ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), day)
        .write(t.certificate("master"), t.privateKey("master"));
    for (int i = 1; i <= spec.workers(); i++) {
      ca.issue("w" + i, Kind.WORKER, Optional.empty(), List.of(), day)
          .write(t.certificate("w" + i), t.privateKey("w" + i));
    }
    return t;
  }

  @Override
  public io.grpc.ChannelCredentials credentials() {
    return credentials;
  }

  @Override
  public String address() {
    return cluster.address();
  }

  @Override
  public void close() {
    cluster.close();
    if (tlsDir != null) {
      try (var files = Files.walk(tlsDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (java.io.IOException e) {
        // a temporary folder left behind
      }
    }
  }
}

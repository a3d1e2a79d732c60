package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.client.LocalCluster;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.LinkConfig;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.net.LinkCounters;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.master.MasterProcess;
import io.sluice.master.partition.Partitioner;
import io.sluice.testing.IntegrationTest;
import io.sluice.worker.WorkerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code links:} wiring: a master and two workers built from a cluster config with links, and
 * the in-JVM {@link LocalCluster}, send every master-worker, worker-worker and worker-Redis
 * connection through their processes' link emulators, in both execution modes.
 */
@IntegrationTest // a master and workers over gRPC on loopback; Redis for the redis part
class EmulatedLinksTest {
  private static final String GENOME =
      CliTest.CORPUS.resolve("faasflow/genome/flat_workflow.yaml").toString();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static JsonNode submit(String master, String mode) throws Exception {
    CliTest.Result r =
        CliTest.sluice(
            "submit",
            "--master",
            master,
            GENOME,
            "--synthetic",
            "--time-scale",
            "0",
            "--data-scale",
            "1",
            "--mode",
            mode,
            "--wait",
            "--json");
    assertThat(r.exit()).as(mode + ": " + r.err() + r.out()).isZero();
    assertThat(r.json().get("status").asText()).isEqualTo("completed");
    System.out.printf(
        "genome --data-scale 1 --mode %s over emulated links: %s ms, bytes moved %s%n",
        mode, r.json().get("elapsedMs"), r.json().get("bytesMoved"));
    return r.json();
  }

  private static ClusterConfig config() throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            "name: linked\n"
                + "master: {host: 127.0.0.1, grpcPort: "
                + freePort()
                + ", httpPort: "
                + freePort()
                + "}\n"
                + "partitioner: hash\n"
                + "store: {mode: tiered}\n"
                + "links: {latency: 1ms, bandwidth: 200MB/s}\n"
                + "workers:\n");
    for (String id : List.of("w1", "w2")) {
      yaml.append("  - {id: ")
          .append(id)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(freePort())
          .append(", httpPort: ")
          .append(freePort())
          .append(", slots: 4}\n");
    }
    return ClusterConfig.parse("linked.yaml", yaml.toString(), Map.of());
  }

  @Test
  void processesFromAConfigWithLinksDialEveryMemberThroughTheirEmulators() throws Exception {
    ClusterConfig config = config();
    WorkerProcess.Options options = new WorkerProcess.Options(Duration.ofSeconds(20), List.of());
    try (MasterProcess master = MasterProcess.start(config);
        WorkerProcess w1 = WorkerProcess.start(config, "w1", options);
        WorkerProcess w2 = WorkerProcess.start(config, "w2", options)) {
      String masterAddress = config.master().grpcAddress();
      String w1Address = config.worker("w1").grpcAddress();
      String w2Address = config.worker("w2").grpcAddress();
      assertThat(w1.links().orElseThrow().link()).isEqualTo(config.links().orElseThrow());

      JsonNode workerMode = submit(master.address(), "worker");
      assertThat(workerMode.get("crossWorkerEvents").asLong()).isPositive();
      // the workers registered, heartbeat and report through their links to the master
      for (WorkerProcess w : List.of(w1, w2)) {
        assertThat(sent(w.links(), masterAddress)).isPositive();
      }
      // events and FaaStore data between the workers: one channel each, so two connections
      Map<String, LinkCounters> fromW1 = w1.links().orElseThrow().countersByTarget();
      Map<String, LinkCounters> fromW2 = w2.links().orElseThrow().countersByTarget();
      long peerConnections =
          Optional.ofNullable(fromW1.get(w2Address)).map(LinkCounters::connections).orElse(0L)
              + Optional.ofNullable(fromW2.get(w1Address))
                  .map(LinkCounters::connections)
                  .orElse(0L);
      assertThat(peerConnections).isGreaterThanOrEqualTo(2);
      assertThat(sent(w1.links(), w2Address) + sent(w2.links(), w1Address)).isPositive();

      long beforeMasterMode = master.links().orElseThrow().counters().bytesSent();
      submit(master.address(), "master");
      // master mode: the master dispatches every function to the workers over its links
      assertThat(master.links().orElseThrow().counters().bytesSent())
          .isGreaterThan(beforeMasterMode);
      assertThat(master.links().orElseThrow().countersByTarget().keySet())
          .containsExactlyInAnyOrder(w1Address, w2Address);
    }
  }

  private static long sent(Optional<LinkEmulator> links, String target) {
    LinkCounters c = links.orElseThrow().countersByTarget().get(target);
    return c == null ? 0 : c.bytesSent();
  }

  @Test
  void theLocalClusterSendsItsMembersAndRedisThroughOneEmulator() throws Exception {
    String redis = System.getenv("SLUICE_REDIS_URI");
    StoreConfig store = null;
    if (redis == null && !"true".equals(System.getenv("CI"))) {
      System.out.println("SLUICE_REDIS_URI not set: the local cluster runs without Redis");
    } else {
      assertThat(redis).as("CI must provide SLUICE_REDIS_URI (scripts/test.sh does)").isNotNull();
      store = StoreConfig.builder().mode(StoreMode.REDIS).redisUri(URI.create(redis)).build();
    }
    LinkConfig link = new LinkConfig(Duration.ofMillis(1), LinkConfig.UNLIMITED);
    try (LocalCluster cluster =
        new LocalCluster(2, store, Partitioner.criticalPath(), Optional.of(link))) {
      for (String mode : List.of("worker", "master")) {
        submit(cluster.address(), mode);
      }
      LinkEmulator links = cluster.links().orElseThrow();
      Map<String, LinkCounters> byTarget = links.countersByTarget();
      assertThat(byTarget.get(cluster.address()).connections())
          .as("one connection per worker to the master")
          .isEqualTo(2);
      assertThat(byTarget).hasSizeGreaterThanOrEqualTo(store == null ? 3 : 4);
      if (store != null) {
        URI uri = URI.create(redis);
        LinkCounters r = byTarget.get(uri.getHost() + ":" + uri.getPort());
        assertThat(r).as("Redis is reached through the emulator").isNotNull();
        assertThat(r.bytesSent()).isPositive();
        assertThat(r.bytesReceived()).isPositive();
      }
    }
  }
}

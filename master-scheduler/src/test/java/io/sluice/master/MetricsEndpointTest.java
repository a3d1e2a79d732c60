package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import io.sluice.worker.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A master process and three worker processes in one JVM run one genome instance; then the {@code
 * /metrics} of each, read over HTTP, show the instance, its invocations, its cross-worker events
 * and the membership, with the figures the instance's status gives.
 */
@IntegrationTest // real processes' HTTP and gRPC endpoints on loopback
class MetricsEndpointTest {
  static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../corpus"));

  @Test
  void oneInstanceShowsOnTheMastersAndWorkersMetrics() throws Exception {
    int[] ports = EventCluster.freePorts(8);
    StringBuilder yaml =
        new StringBuilder("name: metrics\nmaster: {host: 127.0.0.1, grpcPort: ")
            .append(ports[0])
            .append(", httpPort: ")
            .append(ports[1])
            .append("}\nheartbeat: {interval: 200ms, missedAllowed: 50}\nworkers:\n");
    for (int i = 1; i <= 3; i++) {
      yaml.append("  - {id: w")
          .append(i)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(ports[2 * i])
          .append(", httpPort: ")
          .append(ports[2 * i + 1])
          .append(", slots: 4}\n");
    }
    ClusterConfig config = ClusterConfig.parse("metrics.yaml", yaml.toString(), Map.of());
    List<WorkerProcess> workers = new ArrayList<>();
    try (MasterProcess master = MasterProcess.start(config)) {
      for (int i = 1; i <= 3; i++) {
        workers.add(WorkerProcess.start(config, "w" + i, WorkerProcess.Options.defaults()));
      }
      ManagedChannel channel =
          Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
      try {
        var client =
            WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        Path file = CORPUS.resolve("faasflow/genome/flat_workflow.yaml");
        WorkflowRef ref =
            client
                .registerWorkflow(
                    RegisterWorkflowRequest.newBuilder()
                        .setSource(
                            WorkflowSource.newBuilder()
                                .setFileName(file.toString())
                                .setDefinitionText(Files.readString(file)))
                        .build())
                .getWorkflow();
        InstanceStatus s =
            client.invokeAndWait(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setInputJson("{}")
                    .setMode(Mode.MODE_WORKER)
                    .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(0))
                    .build());
        assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
        assertThat(s.getCrossWorkerEvents()).isPositive();

        // Which workers have a heartbeat-age series is refreshed every heartbeat interval (200 ms
        // here): a quick instance can end before the first refresh after the workers joined.
        String m =
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(
                    () -> get(master.httpPort()),
                    text ->
                        text.contains("sluice_worker_heartbeat_age_seconds{worker=\"w3\"}")
                            && text.contains("sluice_worker_heartbeat_age_seconds{worker=\"w1\"}")
                            && text.contains("sluice_worker_heartbeat_age_seconds{worker=\"w2\"}"));
        String wf = "version=\"" + ref.getVersion() + "\",workflow=\"" + ref.getName() + "\"";
        assertThat(value(m, "sluice_instances_started_total{" + wf + "}")).isEqualTo(1);
        assertThat(value(m, "sluice_instances_completed_total{" + wf + "}")).isEqualTo(1);
        assertThat(value(m, "sluice_instances_failed_total{" + wf + "}")).isZero();
        assertThat(value(m, "sluice_instances_running")).isZero();
        assertThat(value(m, "sluice_cross_worker_events_total{" + wf + "}"))
            .isEqualTo(s.getCrossWorkerEvents());
        assertThat(value(m, "sluice_instance_duration_seconds_count{" + wf + "}")).isEqualTo(1);
        assertThat(value(m, "sluice_workers_live")).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
          // heartbeats every 200 ms: an age past 30 s would mean it is not read live
          assertThat(value(m, "sluice_worker_heartbeat_age_seconds{worker=\"w" + i + "\"}"))
              .isBetween(0.0, 30.0);
        }
        assertThat(series(m)).allMatch(n -> n.startsWith("sluice_"));

        double invocations = 0;
        double sent = 0;
        double acked = 0;
        double received = 0;
        for (WorkerProcess w : workers) {
          String text = get(w.httpPort());
          assertThat(series(text)).allMatch(n -> n.startsWith("sluice_"));
          invocations += sum(text, "sluice_node_invocations_total", "outcome=\"ok\"");
          assertThat(sum(text, "sluice_node_invocations_total", "outcome=\"error\"")).isZero();
          assertThat(sum(text, "sluice_node_invocation_seconds_count", "runtime=\"synthetic\""))
              .isEqualTo(sum(text, "sluice_node_invocations_total", "runtime=\"synthetic\""));
          sent += sum(text, "sluice_peer_events_sent_total", "");
          acked += sum(text, "sluice_peer_events_acked_total", "");
          received += sum(text, "sluice_peer_events_received_total", "");
          assertThat(value(text, "sluice_slots")).isEqualTo(4);
          assertThat(value(text, "sluice_slots_free")).isEqualTo(4);
          assertThat(text)
              .contains("sluice_peer_queue_depth{peer=")
              .contains("sluice_faastore_bytes_total{tier=\"local\"}")
              .contains("sluice_faastore_bytes_total{tier=\"peer\"}")
              .contains("sluice_faastore_bytes_total{tier=\"redis\"}")
              .contains("sluice_faastore_used_bytes")
              .contains("sluice_node_invocation_seconds_bucket{");
        }
        assertThat(invocations).isEqualTo(s.getInvocations()).isPositive();
        // at least once: an event may be sent again, never less than the instance counted
        assertThat(sent).isGreaterThanOrEqualTo(s.getCrossWorkerEvents());
        assertThat(received).isGreaterThanOrEqualTo(s.getCrossWorkerEvents());
        assertThat(acked).isLessThanOrEqualTo(sent);
      } finally {
        channel.shutdownNow();
      }
    } finally {
      workers.forEach(WorkerProcess::close);
    }
  }

  private static String get(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The value of the one sample named exactly {@code sample} (name and labels as printed). */
  static double value(String text, String sample) {
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + sample + " in:\n" + text);
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label}. */
  static double sum(String text, String name, String label) {
    Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$");
    double total = 0;
    for (String line : text.split("\n")) {
      Matcher mt = p.matcher(line);
      if (mt.matches() && (mt.group(1) == null ? "" : mt.group(1)).contains(label)) {
        total += Double.parseDouble(mt.group(2));
      }
    }
    return total;
  }

  /** The names of the series (samples) in a scrape. */
  static List<String> series(String text) {
    return text.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .toList();
  }
}

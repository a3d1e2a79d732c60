package io.sluice.cli;

import static io.sluice.cli.CliTest.CORPUS;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster commands against a master and three workers in this JVM. */
@IntegrationTest // master and three workers in this JVM over gRPC
class ClusterCliTest {
  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new LocalCluster(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static String genome() {
    return CORPUS.resolve("faasflow/genome/flat_workflow.yaml").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "master"})
  void runWithWorkersGivesTheRunJsonPlusClusterFields(String mode) throws Exception {
    var r =
        sluice(
            "run",
            genome(),
            "--workers",
            "3",
            "--mode",
            mode,
            "--synthetic",
            "--time-scale",
            "0.001",
            "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("completed");
    // The functions slept, so the critical path has compute, and it fits inside the instance.
    double compute = j.get("criticalPathComputeMs").asDouble();
    assertThat(compute).isPositive().isLessThanOrEqualTo(j.get("elapsedMs").asDouble());
    long messages = j.get("masterMessages").asLong();
    if (mode.equals("master")) {
      assertThat(messages).isGreaterThanOrEqualTo(2 * j.get("invocations").asLong());
    } else {
      // StartInstance and a part report per worker, each with its answer; values travel inline,
      // so the workers keep nothing and get no release.
      assertThat(messages).isEqualTo(4L * j.get("workersUsed").size());
    }
    for (String f :
        new String[] {
          "instanceId",
          "workflow",
          "nodes",
          "nodesExecuted",
          "nodesSkipped",
          "invocations",
          "elapsedMs",
          "output",
          "workersUsed",
          "crossWorkerEvents"
        }) {
      assertThat(j.has(f)).as(f).isTrue();
    }
    assertThat(j.get("nodesExecuted").asInt()).isEqualTo(j.get("nodes").asInt());
    assertThat(j.get("workersUsed").size()).isGreaterThan(1);
    if (mode.equals("worker")) {
      assertThat(j.get("crossWorkerEvents").asLong()).isPositive();
    }
  }

  @Test
  void submitStatusPlacementAndTheSameOutputAsAnEmbeddedRun() throws Exception {
    String video = CORPUS.resolve("faasflow/video/flat_workflow.yaml").toString();
    var embedded = sluice("run", video, "--synthetic", "--time-scale", "0", "--json");
    var submitted =
        sluice(
            "submit",
            "--master",
            cluster.address(),
            video,
            "--synthetic",
            "--time-scale",
            "0",
            "--wait",
            "--json");
    assertThat(submitted.exit()).as(submitted.err()).isZero();
    assertThat(submitted.json().get("output")).isEqualTo(embedded.json().get("output"));

    var id =
        sluice("submit", "--master", cluster.address(), video, "--synthetic", "--time-scale", "0");
    assertThat(id.exit()).as(id.err()).isZero();
    var status = sluice("status", "--master", cluster.address(), id.out().trim(), "--json");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.json().get("instanceId").asText()).isEqualTo(id.out().trim());

    var p =
        sluice(
            "placement",
            "--master",
            cluster.address(),
            genome(),
            "--json",
            "--partitioner",
            "hash");
    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.json().get("partitioner").asText()).isEqualTo("hash");
    assertThat(p.json().get("nodes").size()).isPositive();
    assertThat(p.json().get("crossWorkerEdges").asInt()).isPositive();
  }

  @Test
  void cancelAndSendEventReachARunningInstance(@TempDir Path tmp) throws Exception {
    Path wf = tmp.resolve("waits.yaml");
    Files.writeString(
        wf,
        """
        sluice: "1.0"
        name: waits
        version: "1"
        nodes:
          - {id: start, type: task, function: f, next: approve}
          - {id: approve, type: event, eventType: approved, next: done}
          - {id: done, type: task, function: f}
        """);
    var a =
        sluice(
            "submit",
            "--master",
            cluster.address(),
            wf.toString(),
            "--synthetic",
            "--time-scale",
            "0");
    assertThat(a.exit()).as(a.err()).isZero();
    String first = a.out().trim();
    // send-event is refused until a worker holds the instance's waiting node: retry until taken.
    var accepted = new java.util.concurrent.atomic.AtomicReference<CliTest.Result>();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () -> {
              accepted.set(
                  sluice(
                      "send-event",
                      "--master",
                      cluster.address(),
                      "--instance",
                      first,
                      "--type",
                      "approved",
                      "--data",
                      "{\"ok\":true}"));
              return accepted.get().exit() == 0;
            });
    var sent = accepted.get();
    assertThat(sent.exit()).as(sent.err() + sent.out()).isZero();
    assertThat(sent.out()).contains(first);

    String second =
        sluice(
                "submit",
                "--master",
                cluster.address(),
                wf.toString(),
                "--synthetic",
                "--time-scale",
                "0")
            .out()
            .trim();
    var c = sluice("cancel", "--master", cluster.address(), second);
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out()).contains("cancelled");
    assertThat(sluice("status", "--master", cluster.address(), second).exit()).isEqualTo(1);
  }

  @Test
  void sendEventWithoutAnInstanceIsRoutedByItsSubject(@TempDir Path tmp) throws Exception {
    Path wf = tmp.resolve("paid.yaml");
    Files.writeString(
        wf,
        """
        sluice: "1.0"
        name: paid
        version: "1"
        nodes:
          - {id: paid, type: event, eventType: order.paid, correlate: {subject: .order}}
        """);
    String id =
        sluice(
                "submit",
                "--master",
                cluster.address(),
                wf.toString(),
                "--input",
                "{\"order\":\"Z-1\"}")
            .out()
            .trim();
    // Taken at once, or held by the master until the wait starts: either way it arrives.
    var sent =
        sluice(
            "send-event",
            "--master",
            cluster.address(),
            "--type",
            "order.paid",
            "--subject",
            "Z-1",
            "--data",
            "{\"amount\":3}");
    assertThat(sent.exit()).as(sent.err() + sent.out()).isZero();
    assertThat(sent.out()).matches("(?s)(delivered to " + id + "|held: ).*");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                sluice("status", "--master", cluster.address(), id, "--json")
                    .json()
                    .get("status")
                    .asText()
                    .equals("completed"));
    assertThat(sluice("status", "--master", cluster.address(), id, "--json").json().get("output"))
        .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"amount\":3}"));

    var stray =
        sluice(
            "send-event",
            "--master",
            cluster.address(),
            "--type",
            "nobody.listens",
            "--subject",
            "Z-1");
    assertThat(stray.exit()).isEqualTo(1);
    assertThat(stray.err())
        .contains("no deployed workflow waits for events of type nobody.listens");
  }

  @Test
  void anUnreachableMasterExitsTwoNamingTheAddress() {
    var r = sluice("status", "--master", "127.0.0.1:1", "x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("127.0.0.1:1");
    var bad = sluice("status", "--master", "nonsense", "x");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("HOST:PORT");
  }
}

package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.client.LocalCluster;
import io.sluice.master.partition.Partitioner;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice drain} against a master and three workers in this JVM. */
@IntegrationTest // master and three workers in this JVM over gRPC
class DrainCliTest {
  /** Four parallel synthetic steps of 3 s: the instance outlasts the first drain calls. */
  private static final String FLOW =
      """
      sluice: "1.0"
      name: slow
      version: "1"
      functions:
        step: {runtime: synthetic, computeMs: 3000, outputBytes: 16}
      nodes:
        - {id: fan, type: pass, next: [s1, s2, s3, s4]}
        - {id: s1, type: task, function: step}
        - {id: s2, type: task, function: step}
        - {id: s3, type: task, function: step}
        - {id: s4, type: task, function: step}
      """;

  private LocalCluster cluster;

  @BeforeEach
  void start() {
    cluster = new LocalCluster(3, null, Partitioner.hash());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void drainWaitsForTheRunningPartsAndNewInstancesAvoidTheWorker(@TempDir Path tmp)
      throws Exception {
    Path wf = tmp.resolve("slow.yaml");
    Files.writeString(wf, FLOW);
    String master = cluster.address();
    var placement = sluice("placement", "--master", master, wf.toString(), "--json");
    assertThat(placement.exit()).as(placement.err()).isZero();
    List<String> holders = new ArrayList<>();
    placement.json().get("nodesPerWorker").fieldNames().forEachRemaining(holders::add);
    assertThat(holders).as("hash placement spreads the steps").hasSizeGreaterThan(1);
    String worker = holders.stream().sorted().findFirst().orElseThrow();

    var submitted = sluice("submit", "--master", master, wf.toString(), "--time-scale", "1");
    assertThat(submitted.exit()).as(submitted.err()).isZero();
    String id = submitted.out().trim();

    var now = sluice("drain", worker, "--master", master);
    assertThat(now.exit()).as(now.err()).isZero();
    assertThat(now.out().trim())
        .isEqualTo("worker " + worker + " is draining: 1 instance part (" + id + ") still running");

    var tooShort = sluice("drain", worker, "--master", master, "--wait", "--timeout", "1ms");
    assertThat(tooShort.exit()).as(tooShort.out()).isEqualTo(1);
    assertThat(tooShort.err()).contains("still runs 1 instance part", "--timeout 1ms");

    var waited = sluice("drain", worker, "--master", master, "--wait", "--timeout", "60s");
    assertThat(waited.exit()).as(waited.err()).isZero();
    assertThat(waited.out().lines().toList())
        .last()
        .isEqualTo(
            "worker " + worker + " is draining and runs no instance part: it is safe to stop");
    var status = sluice("status", "--master", master, id, "--json");
    assertThat(status.json().get("status").asText()).isEqualTo("completed");
    assertThat(status.json().get("workersUsed").toString()).contains(worker);

    var after =
        sluice(
            "submit", "--master", master, wf.toString(), "--time-scale", "0", "--wait", "--json");
    assertThat(after.exit()).as(after.err()).isZero();
    JsonNode used = after.json().get("workersUsed");
    assertThat(used.size()).isPositive();
    used.forEach(w -> assertThat(w.asText()).isNotEqualTo(worker));

    var undo = sluice("drain", worker, "--master", master, "--undo");
    assertThat(undo.exit()).as(undo.err()).isZero();
    assertThat(undo.out()).contains("worker " + worker + " is no longer draining");
  }

  @Test
  void anUnknownWorkerOrABadTimeoutExitsTwo() {
    var unknown = sluice("drain", "nope", "--master", cluster.address());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("NOT_FOUND", "no worker nope registered", "w1, w2, w3");

    var bad = sluice("drain", "w1", "--master", cluster.address(), "--wait", "--timeout", "soon");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--timeout", "bad duration 'soon'");
    var both = sluice("drain", "w1", "--master", cluster.address(), "--wait", "--undo");
    assertThat(both.exit()).isEqualTo(2);
  }
}

package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.IntegrationTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A master and three workers as separate processes on loopback, started and stopped by
 * scripts/cluster.sh (the command it launches is this build's classes instead of the fat jar),
 * driven by the client commands over gRPC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest // starts a master and workers as processes (scripts/cluster.sh)
class ClusterProcessesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private Path config;
  private Path runDir;
  private String master;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** What one scripts/cluster.sh call printed and its exit code. */
  private record ScriptRun(int exit, String out) {}

  private int script(String... args) throws Exception {
    return run(args).exit();
  }

  private ScriptRun run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(CliTest.ROOT.resolve("scripts/cluster.sh").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path launcher = tmp.resolve("sluice-test-launcher.sh");
    pb.environment().put("SLUICE_CMD", launcher.toString());
    pb.environment().put("SLUICE_HEALTH_TIMEOUT", "90");
    pb.environment().put("SLUICE_STOP_GRACE", "5");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    System.out.println("cluster.sh " + String.join(" ", args) + ":\n" + out);
    return new ScriptRun(p.exitValue(), out);
  }

  /** A cluster started by scripts/cluster.sh: its config file, run dir and master address. */
  private record Started(Path config, Path runDir, String master) {}

  /**
   * Writes a config for a master and {@code workers} workers on free ports and starts it. A port
   * found free can be taken by another process (an outgoing connection's ephemeral port) before the
   * process binds it, so a start that fails is tried again on other ports, twice at most.
   */
  private Started start(String name, int workers) throws Exception {
    ScriptRun last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      Path dir = tmp.resolve("run-" + name + "-" + attempt);
      Started s = configure(name, workers, dir);
      last = run("start", s.config().toString(), "--run-dir", dir.toString());
      if (last.exit() == 0) {
        return s;
      }
      script("stop", s.config().toString(), "--run-dir", dir.toString());
    }
    assertThat(last.exit())
        .as("cluster.sh start, 3 tries; the last printed:%n%s", last.out())
        .isZero();
    throw new AssertionError("unreachable");
  }

  private Started configure(String name, int workers, Path dir) throws Exception {
    int mg = freePort();
    StringBuilder yaml =
        new StringBuilder(
            "name: "
                + name
                + "\n"
                + "master: {host: 127.0.0.1, grpcPort: "
                + mg
                + ", httpPort: "
                + freePort()
                + "}\n"
                + "heartbeat: {interval: 300ms, missedAllowed: 4}\n"
                + "store: {mode: tiered, memoryBudget: 256MB, inlineThreshold: 16KB}\n"
                + "workers:\n");
    for (int i = 1; i <= workers; i++) {
      yaml.append("  - {id: w")
          .append(i)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(freePort())
          .append(", httpPort: ")
          .append(freePort())
          .append(", slots: 4, memory: 512MB}\n");
    }
    Path file = tmp.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return new Started(file, dir, "127.0.0.1:" + mg);
  }

  @BeforeAll
  void startCluster() throws Exception {
    Path launcher = tmp.resolve("sluice-test-launcher.sh");
    Files.writeString(
        launcher,
        "#!/bin/sh\nexec java -Xmx512m -cp '"
            + System.getProperty("java.class.path")
            + "' io.sluice.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // Shared by the read-only corpus runs; a test that kills a worker starts its own cluster.
    Started shared = start("it-3", 3);
    config = shared.config();
    runDir = shared.runDir();
    master = shared.master();
  }

  @AfterAll
  void stopCluster() throws Exception {
    script("stop", config.toString(), "--run-dir", runDir.toString());
  }

  private static CliTest.Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliTest.Result(exit, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0} in {1} mode")
  @CsvSource({
    "faasflow/video/flat_workflow.yaml, worker",
    "faasflow/illgal_recognizer/flat_workflow.yaml, worker",
    "faasflow/genome/flat_workflow.yaml, worker",
    "wfcommons/raw/montage-chameleon-2mass-01d-001.json, worker",
    "wfcommons/raw/seismology-chameleon-100p-001.json, worker",
    "faasflow/video/flat_workflow.yaml, master",
    "faasflow/illgal_recognizer/flat_workflow.yaml, master",
    "faasflow/genome/flat_workflow.yaml, master",
    "wfcommons/raw/montage-chameleon-2mass-01d-001.json, master",
    "wfcommons/raw/seismology-chameleon-100p-001.json, master",
  })
  void corpusWorkflowsCompleteOnTheClusterWithTheEmbeddedOutput(String file, String mode)
      throws Exception {
    String path = CliTest.CORPUS.resolve(file).toString();
    CliTest.Result embedded = sluice("run", path, "--synthetic", "--time-scale", "0", "--json");
    CliTest.Result r =
        sluice(
            "submit",
            "--master",
            master,
            path,
            "--synthetic",
            "--time-scale",
            "0",
            "--data-scale",
            "0.01",
            "--mode",
            mode,
            "--wait",
            "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode j = r.json();
    JsonNode e = embedded.json();
    assertThat(j.get("status").asText()).isEqualTo("completed");
    assertThat(j.get("nodesExecuted").asInt()).isEqualTo(e.get("nodesExecuted").asInt());
    assertThat(j.get("nodesSkipped").asInt()).isEqualTo(e.get("nodesSkipped").asInt());
    assertThat(j.get("invocations").asLong()).isEqualTo(e.get("invocations").asLong());
    assertThat(j.get("mode").asText()).isEqualTo(mode);
    if (mode.equals("worker") && j.get("workersUsed").size() > 1) {
      assertThat(j.get("crossWorkerEvents").asLong()).isPositive();
    }
    if (j.get("output").isObject() && j.get("output").has("node")) {
      assertThat(j.get("output").get("node")).isEqualTo(e.get("output").get("node"));
    }
    System.out.printf(
        "%s %s: %s ms, workers %s, cross-worker events %s, bytes %s%n",
        file,
        mode,
        j.get("elapsedMs"),
        j.get("workersUsed"),
        j.get("crossWorkerEvents"),
        j.get("bytesMoved"));
  }

  @Test
  void killingAWorkerMidInstanceFailsItClearlyInsteadOfHanging() throws Exception {
    // Its own cluster: the shared one must keep all its workers for the other tests.
    Started own = start("it-kill", 2);
    try {
      killAWorkerMidInstance(own.master(), own.runDir());
    } finally {
      script("stop", own.config().toString(), "--run-dir", own.runDir().toString());
    }
  }

  private void killAWorkerMidInstance(String master, Path runDir) throws Exception {
    Path wf = tmp.resolve("long.yaml");
    StringBuilder y =
        new StringBuilder(
            "sluice: \"1.0\"\nname: long\nfunctions:\n"
                + "  slow: {runtime: synthetic, computeMs: 120000}\n"
                + "  fast: {runtime: synthetic}\nnodes:\n"
                + "  - {id: start, type: task, function: fast, next: [a, b, c, d, e, f]}\n");
    for (String n : List.of("a", "b", "c", "d", "e", "f")) {
      y.append("  - {id: ").append(n).append(", type: task, function: slow, next: join}\n");
    }
    y.append("  - {id: join, type: pass}\n");
    Files.writeString(wf, y);
    CliTest.Result placement = sluice("placement", "--master", master, wf.toString(), "--json");
    assertThat(placement.exit()).as(placement.err()).isZero();
    String victim = placement.json().get("nodes").get("a").asText();
    CliTest.Result submitted = sluice("submit", "--master", master, wf.toString());
    assertThat(submitted.exit()).as(submitted.err()).isZero();
    String id = submitted.out().trim();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sluice("status", "--master", master, id, "--json")
                    .json()
                    .get("status")
                    .asText()
                    .equals("running"));
    String pidLine = Files.readString(runDir.resolve("worker-" + victim + ".pid")).trim();
    long pid = Long.parseLong(pidLine.split("\\s+")[1]);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                !sluice("status", "--master", master, id, "--json")
                    .json()
                    .get("status")
                    .asText()
                    .equals("running"));
    JsonNode s = sluice("status", "--master", master, id, "--json").json();
    assertThat(s.get("status").asText()).isEqualTo("failed");
    assertThat(s.get("error").get("type").asText()).isEqualTo("WorkerLost");
    assertThat(s.get("error").get("message").asText()).contains(victim);
  }
}

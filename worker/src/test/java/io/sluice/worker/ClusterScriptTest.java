package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.testing.IntegrationTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/cluster.sh against a stand-in for bin/sluice (SLUICE_CMD: python3's http.server serving
 * /health on each process's configured port) and, for the remote-host path, a stand-in for ssh
 * (SLUICE_SSH) that runs commands on this machine; the "remote" worker binds 127.0.0.2.
 */
@IntegrationTest // starts processes through scripts/cluster.sh
class ClusterScriptTest {
  private static final Path ROOT =
      Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("scripts/cluster.sh");
  private static final Path STANDINS = ROOT.resolve("worker/src/test/resources/cluster");

  @TempDir Path dir;
  private Path config;
  private Path runDir;
  private Path dockerDir;
  private int[] httpPorts;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  record Result(int code, String out) {}

  @BeforeAll
  static void toolsArePresent() throws Exception {
    for (String tool : List.of("bash", "curl", "python3")) {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      assumeTrue(p.waitFor() == 0, tool + " is needed to test scripts/cluster.sh");
    }
  }

  @BeforeEach
  void writeConfig() throws IOException {
    int[] ports = freePorts(6);
    httpPorts = new int[] {ports[1], ports[3], ports[5]};
    config = dir.resolve("trio.yaml");
    Files.writeString(
        config,
        """
        # three processes; w2 stands for a remote host (reached through SLUICE_SSH)
        name: trio
        master: {host: 127.0.0.1, grpcPort: %d, httpPort: %d}
        workers:
          - {id: w1, host: 127.0.0.1, grpcPort: %d, httpPort: %d, slots: 2}
          - id: w2
            host: 127.0.0.2
            grpcPort: %d
            httpPort: %d
        """
            .formatted(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]));
    runDir = dir.resolve("run");
    env.put("SLUICE_CMD", "bash " + STANDINS.resolve("health-standin.sh"));
    env.put("SLUICE_SSH", "bash " + STANDINS.resolve("fake-ssh.sh"));
    env.put("SLUICE_HEALTH_TIMEOUT", "30");
    env.put("SLUICE_STOP_GRACE", "5");
    // A stand-in docker on PATH (fake-docker.sh): images are files, local and per "remote" host.
    dockerDir = dir.resolve("docker");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path docker = bin.resolve("docker");
    Files.writeString(
        docker,
        "#!/usr/bin/env bash\nexec bash " + STANDINS.resolve("fake-docker.sh") + " \"$@\"\n");
    assertThat(docker.toFile().setExecutable(true)).isTrue();
    Files.createDirectories(dockerDir.resolve("local"));
    env.put("FAKE_DOCKER_DIR", dockerDir.toString());
    env.put("PATH", bin + ":" + System.getenv("PATH"));
  }

  /** Puts IMAGE with content HASH into the stand-in engine of SIDE (local or a host). */
  private void image(String side, String image, String id, String hash) throws IOException {
    Path store = Files.createDirectories(dockerDir.resolve(side));
    Files.writeString(store.resolve(image.replace('/', '_').replace(':', '_')), id + " " + hash);
  }

  /** How many docker calls were made on SIDE with exactly these arguments. */
  private long dockerCalls(String side, String args) throws IOException {
    Path calls = dockerDir.resolve("calls");
    if (!Files.exists(calls)) {
      return 0;
    }
    return Files.readAllLines(calls).stream().filter(l -> l.equals(side + " " + args)).count();
  }

  @AfterEach
  void stopEverything() throws Exception {
    run("stop");
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private Result run(String command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                SCRIPT.toString(),
                command,
                config.toString(),
                "--run-dir",
                runDir.toString())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cluster.sh %s finishes", command).isTrue();
    return new Result(p.exitValue(), out);
  }

  private long pid(String process) throws IOException {
    String[] fields = Files.readString(runDir.resolve(process + ".pid")).trim().split(" ");
    return Long.parseLong(fields[1]);
  }

  /** Whether a process runs (a zombie waiting for its parent to reap it does not). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private int health(String host, int port) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  @Test
  void startStatusStopTouchOnlyTheRecordedProcesses() throws Exception {
    Result start = run("start");
    assertThat(start.code()).as(start.out()).isZero();
    assertThat(start.out())
        .contains("master healthy", "worker-w1 healthy", "worker-w2 healthy", "cluster trio is up");
    assertThat(health("127.0.0.1", httpPorts[0])).isEqualTo(200);
    assertThat(health("127.0.0.1", httpPorts[1])).isEqualTo(200);
    assertThat(health("127.0.0.2", httpPorts[2])).isEqualTo(200);
    assertThat(runDir.resolve("master.log")).content().contains("master --config " + config);
    assertThat(runDir.resolve("worker-w1.log")).content().contains("--id w1");
    long master = pid("master");
    long w1 = pid("worker-w1");
    long w2 = pid("worker-w2");

    Result status = run("status");
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out().lines().filter(l -> l.matches(".* alive +ok .*"))).hasSize(3);

    Result again = run("start");
    assertThat(again.code()).isNotZero();
    assertThat(again.out()).contains("master is already running (pid " + master + ")");

    Process bystander = new ProcessBuilder("sleep", "60").start();
    try {
      Result stop = run("stop");
      assertThat(stop.code()).as(stop.out()).isZero();
      assertThat(stop.out())
          .contains("master (pid " + master + ") stopped", "worker-w2 (pid " + w2 + ") stopped");
      assertThat(List.of(master, w1, w2)).noneMatch(ClusterScriptTest::alive);
      assertThat(bystander.isAlive()).isTrue();
      assertThat(runDir.resolve("master.pid")).doesNotExist();
    } finally {
      bystander.destroy();
    }
    Result after = run("status");
    assertThat(after.code()).isNotZero();
    assertThat(after.out()).contains("stopped");
  }

  @Test
  void aWorkerThatDiesIsNamedWithItsLogAndTheRestIsStopped() throws Exception {
    env.put("STANDIN_FAIL", "w1");
    Result start = run("start");
    assertThat(start.code()).isNotZero();
    assertThat(start.out())
        .contains("worker-w1 (pid", "exited before answering", runDir + "/worker-w1.log")
        .contains("failing on purpose")
        .contains("start failed; stopped what was started");
    assertThat(health("127.0.0.1", httpPorts[0])).isEqualTo(-1);
    assertThat(health("127.0.0.2", httpPorts[2])).isEqualTo(-1);
  }

  @Test
  void aProcessThatNeverAnswersTimesOutNamingItsLog() throws Exception {
    env.put("STANDIN_HANG", "master");
    env.put("SLUICE_HEALTH_TIMEOUT", "2");
    Result start = run("start");
    assertThat(start.code()).isNotZero();
    assertThat(start.out())
        .contains("master (pid", "did not answer http://127.0.0.1:" + httpPorts[0] + "/health")
        .contains("within 2s; see " + runDir + "/master.log");
    assertThat(start.out()).doesNotContain("started worker");
    assertThat(runDir.resolve("master.pid")).doesNotExist();
  }

  @Test
  void stopKillsWhatIgnoresTerm() throws Exception {
    env.put("STANDIN_IGNORE_TERM", "w1");
    env.put("SLUICE_STOP_GRACE", "1");
    assertThat(run("start").code()).isZero();
    long w1 = pid("worker-w1");
    Result stop = run("stop");
    assertThat(stop.out()).contains("worker-w1 (pid " + w1 + ") killed after 1s");
    assertThat(alive(w1)).isFalse();
  }

  @Test
  void processesListsWhatTheConfigDescribes() throws Exception {
    Result r = run("processes");
    assertThat(r.out().lines())
        .containsExactly(
            "master master 127.0.0.1 " + httpPorts[0],
            "worker w1 127.0.0.1 " + httpPorts[1],
            "worker w2 127.0.0.2 " + httpPorts[2]);
  }

  @Test
  void anImageMissingOnARemoteHostIsSentOnceAndNotAgain() throws Exception {
    image("local", "sluice/fn-python:local", "sha256:aaa", "hash1");
    image("local", "extra/tool:1", "sha256:bbb", "");
    env.put("SLUICE_IMAGES", "extra/tool:1,missing/here:2");
    Result start = run("start");
    assertThat(start.code()).as(start.out()).isZero();
    assertThat(start.out())
        .contains("images: copying sluice/fn-python:local (hash1) to 127.0.0.2")
        .contains("images: copying extra/tool:1 (sha256:bbb) to 127.0.0.2")
        .contains("images: sluice/fn-java:local is not in the local engine; not copying it")
        .contains("images: missing/here:2 is not in the local engine; not copying it")
        .contains("cluster trio is up");
    assertThat(dockerCalls("local", "save sluice/fn-python:local")).isEqualTo(1);
    assertThat(dockerCalls("127.0.0.2", "load")).isEqualTo(2);
    assertThat(dockerDir.resolve("127.0.0.2/sluice_fn-python_local")).content().contains("hash1");
    assertThat(dockerDir.resolve("127.0.0.1")).doesNotExist(); // local workers need no copy
    assertThat(run("stop").code()).isZero();

    Result again = run("start");
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out())
        .contains("images: sluice/fn-python:local is up to date on 127.0.0.2")
        .contains("images: extra/tool:1 is up to date on 127.0.0.2")
        .doesNotContain("images: copying");
    assertThat(dockerCalls("local", "save sluice/fn-python:local")).isEqualTo(1);
    assertThat(dockerCalls("127.0.0.2", "load")).isEqualTo(2);
    assertThat(run("stop").code()).isZero();

    image("local", "sluice/fn-python:local", "sha256:ccc", "hash2"); // rebuilt: another hash
    env.put("SLUICE_IMAGES", "");
    Result rebuilt = run("start");
    assertThat(rebuilt.code()).as(rebuilt.out()).isZero();
    assertThat(rebuilt.out())
        .contains("images: copying sluice/fn-python:local (hash2) to 127.0.0.2");
    assertThat(dockerDir.resolve("127.0.0.2/sluice_fn-python_local")).content().contains("hash2");
    assertThat(run("stop").code()).isZero();

    env.put("SLUICE_IMAGES_SYNC", "force");
    Result forced = run("start");
    assertThat(forced.code()).as(forced.out()).isZero();
    assertThat(forced.out())
        .contains("images: copying sluice/fn-python:local (hash2) to 127.0.0.2");
    assertThat(dockerCalls("local", "save sluice/fn-python:local")).isEqualTo(3);
  }

  @Test
  void withoutALocalEngineTheCopyIsSkippedInOneLine() throws Exception {
    env.put("FAKE_DOCKER_DOWN", "1");
    Result start = run("start");
    assertThat(start.code()).as(start.out()).isZero();
    assertThat(start.out().lines().filter(l -> l.startsWith("images:")))
        .singleElement()
        .asString()
        .contains("no local Docker engine", "not copying images to 127.0.0.2");
    assertThat(dockerCalls("local", "save sluice/fn-python:local")).isZero();
    assertThat(start.out()).contains("cluster trio is up");
  }

  @Test
  void aFailedCopyNamesHostAndImageAndStartsNothing() throws Exception {
    image("local", "sluice/fn-java:local", "sha256:ddd", "hash3");
    Files.writeString(dockerDir.resolve("127.0.0.2"), "not a directory: load fails");
    Result start = run("start");
    assertThat(start.code()).isNotZero();
    assertThat(start.out())
        .contains("cannot copy image sluice/fn-java:local to 127.0.0.2")
        .doesNotContain("started master");
    assertThat(runDir.resolve("master.pid")).doesNotExist();
    assertThat(health("127.0.0.1", httpPorts[0])).isEqualTo(-1);
  }
}

package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chaos test's cluster: a master and three workers on free loopback ports with {@code
 * durability: redis}, started and stopped by scripts/cluster.sh (its launcher runs this build's
 * classes), killed with SIGKILL by the pid in the run folder's pid file, and restarted here as new
 * processes under the same id (each with its own log, {@code ROLE[-ID].N.log}, and the pid file
 * rewritten in cluster.sh's format so that {@code cluster.sh stop} stops the restarted ones too).
 */
final class ChaosCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Path config;
  final Path runDir;
  final Path launcher;
  final int masterGrpc;
  final int masterHttp;

  /** Worker id -> its HTTP port. */
  final Map<String, Integer> workerHttp = new LinkedHashMap<>();

  /** Every log of each process name (master, worker-w1, ...), oldest first. */
  private final Map<String, List<Path>> logs = new LinkedHashMap<>();

  /** The processes restarted here (children of this JVM), to stop them whatever happens. */
  private final List<Process> restarted = new ArrayList<>();

  private ChaosCluster(Path config, Path runDir, Path launcher, int masterGrpc, int masterHttp) {
    this.config = config;
    this.runDir = runDir;
    this.launcher = launcher;
    this.masterGrpc = masterGrpc;
    this.masterHttp = masterHttp;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Writes the config and the launcher into {@code dir}: heartbeats every 200 ms, a floor of 2 s
   * (missedAllowed 10, so that a busy 2-core host rarely looks dead) and at most 2.5 s of silence.
   */
  static ChaosCluster write(Path dir, String redisUri, String keyPrefix) throws IOException {
    Files.createDirectories(dir);
    Path launcher = dir.resolve("sluice-chaos-launcher.sh");
    // Every process logs at INFO: the master's part moves and each worker's incarnation are
    // INFO lines, and the figures are read from them.
    Files.writeString(
        launcher,
        "#!/bin/sh\nSLUICE_LOG_LEVEL=INFO; export SLUICE_LOG_LEVEL\n"
            + "exec java -Xmx512m -cp '"
            + System.getProperty("java.class.path")
            + "' io.sluice.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    int mg = freePort();
    int mh = freePort();
    StringBuilder yaml =
        new StringBuilder()
            .append("name: chaos\n")
            .append("master: {host: 127.0.0.1, grpcPort: ")
            .append(mg)
            .append(", httpPort: ")
            .append(mh)
            .append("}\n")
            .append("heartbeat: {interval: 200ms, missedAllowed: 10, maxSilence: 2500ms}\n")
            .append("partitioner: critical-path\n")
            .append("store: {mode: memory, redis: \"")
            .append(redisUri)
            .append("\"}\n")
            .append("durability: {mode: redis, retention: 1h, keyPrefix: \"")
            .append(keyPrefix)
            .append("\"}\n")
            .append("workers:\n");
    Path config = dir.resolve("chaos.yaml");
    ChaosCluster c = new ChaosCluster(config, dir.resolve("run"), launcher, mg, mh);
    for (int i = 1; i <= 3; i++) {
      int wh = freePort();
      yaml.append("  - {id: w")
          .append(i)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(freePort())
          .append(", httpPort: ")
          .append(wh)
          .append(", slots: 8, memory: 512MB}\n");
      c.workerHttp.put("w" + i, wh);
    }
    Files.writeString(config, yaml);
    return c;
  }

  String masterAddress() {
    return "127.0.0.1:" + masterGrpc;
  }

  /** scripts/cluster.sh COMMAND on this config and run folder; its exit code (output printed). */
  int script(String command) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                CliTest.ROOT.resolve("scripts/cluster.sh").toString(),
                command,
                config.toString(),
                "--run-dir",
                runDir.toString())
            .redirectErrorStream(true);
    pb.environment().put("SLUICE_CMD", launcher.toString());
    pb.environment().put("SLUICE_HEALTH_TIMEOUT", "90");
    pb.environment().put("SLUICE_STOP_GRACE", "5");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("cluster.sh " + command + " did not end within 300 s:\n" + out);
    }
    System.out.println("cluster.sh " + command + ":\n" + out);
    return p.exitValue();
  }

  /** Starts the cluster (cluster.sh start); the first log of each process is cluster.sh's. */
  void start() throws IOException, InterruptedException {
    logs.put("master", new ArrayList<>(List.of(runDir.resolve("master.log"))));
    for (String w : workerHttp.keySet()) {
      logs.put("worker-" + w, new ArrayList<>(List.of(runDir.resolve("worker-" + w + ".log"))));
    }
    int exit = script("start");
    if (exit != 0) {
      throw new IOException("scripts/cluster.sh start failed (exit " + exit + "); see above");
    }
  }

  /** Stops everything: cluster.sh stop (the pid files name restarted processes too), then ours. */
  void stop() throws IOException, InterruptedException {
    try {
      script("stop");
    } finally {
      for (Process p : restarted) {
        if (p.isAlive()) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** The logs of {@code name} (master, worker-w1, ...), oldest process first. */
  List<Path> logs(String name) {
    return List.copyOf(logs.getOrDefault(name, List.of()));
  }

  /** The newest log of {@code name}. */
  Path log(String name) {
    List<Path> l = logs.get(name);
    return l.get(l.size() - 1);
  }

  /** The pid recorded in {@code name}.pid (cluster.sh's format: {@code local PID START}). */
  long pid(String name) throws IOException {
    String[] f = Files.readString(runDir.resolve(name + ".pid")).trim().split("\\s+");
    if (f.length < 2 || !f[0].equals("local")) {
      throw new IOException(
          runDir.resolve(name + ".pid")
              + ": expected 'local PID START', got "
              + String.join(" ", f));
    }
    return Long.parseLong(f[1]);
  }

  /** SIGKILLs the process of {@code name} and waits (bounded) until it is gone; its pid. */
  long kill(String name) throws IOException, InterruptedException {
    long pid = pid(name);
    ProcessHandle h =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IOException(name + " (pid " + pid + ") is not running"));
    h.destroyForcibly(); // SIGKILL on Linux
    for (int i = 0; i < 100 && h.isAlive() && !zombie(pid); i++) {
      Thread.sleep(50);
    }
    return pid;
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // gone
    }
  }

  /**
   * Starts {@code name} again as a new process with the same arguments cluster.sh gives it, its
   * output in a new log, and records its pid file as cluster.sh does.
   */
  void restart(String name) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    if (name.equals("master")) {
      cmd.addAll(List.of("master", "--config", config.toString()));
    } else {
      cmd.addAll(
          List.of(
              "worker", "--config", config.toString(), "--id", name.substring("worker-".length())));
    }
    List<Path> l = logs.get(name);
    Path log = runDir.resolve(name + "." + l.size() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(CliTest.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(new File("/dev/null"));
    pb.environment().put("SLUICE_RUN_DIR", runDir.toString());
    Process p = pb.start();
    restarted.add(p);
    l.add(log);
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String startTime = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    Files.writeString(runDir.resolve(name + ".pid"), "local " + p.pid() + " " + startTime + "\n");
  }

  /** GET /health of the process on {@code httpPort}: its body when 200, else null. */
  static JsonNode health(int httpPort) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Workers the master counts live now (-1 when it does not answer). */
  int liveWorkers() {
    JsonNode h = health(masterHttp);
    return h == null ? -1 : h.path("liveWorkers").asInt(-1);
  }

  /** Waits up to {@code timeout} for the process on {@code httpPort} to answer /health. */
  static boolean awaitHealth(int httpPort, Duration timeout) throws InterruptedException {
    return awaitTrue(timeout, () -> health(httpPort) != null);
  }

  /** Polls {@code condition} every 100 ms for up to {@code timeout}; whether it became true. */
  private static boolean awaitTrue(
      Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
    try {
      org.awaitility.Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(condition);
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  /** Waits up to {@code timeout} for the master to count all three workers live. */
  boolean awaitAllLive(Duration timeout) throws InterruptedException {
    return awaitTrue(timeout, () -> liveWorkers() >= workerHttp.size());
  }
}

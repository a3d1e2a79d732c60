package io.sluice.bench.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --cluster processes} (the default): a master and its workers as separate processes, as
 * scripts/cluster.sh starts them ({@code bin/sluice master --config FILE}, {@code bin/sluice worker
 * --config FILE --id ID}), with the config, each process's log and pid in the cluster's folder.
 * Start waits for the master's {@code /health}, then each worker's, then for the master to count
 * every worker live. Close stops exactly these processes: TERM, then KILL after a grace period
 * ({@link Children} also does so from a shutdown hook, on Ctrl-C or a failure), and removes their
 * pid files; the logs stay.
 */
final class ProcessCluster implements BenchCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> pidFiles = new ArrayList<>();
  private final String address;

  private ProcessCluster(String address) {
    this.address = address;
  }

  /**
   * Builds bin/sluice's jar if it is missing or stale, once, before any process starts (so no two
   * processes build at once); then every process runs with {@code SLUICE_NO_BUILD=1}.
   */
  static void prebuild(Path home, Path log) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(home.resolve("bin/sluice").toString(), "--version")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(20, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("bin/sluice --version (building the jar) took over 20 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "bin/sluice --version failed (exit "
              + p.exitValue()
              + "); see "
              + log
              + ":\n"
              + tail(log));
    }
  }

  /** Starts the cluster whose config is {@code config} (written by {@link ClusterYaml}). */
  static ProcessCluster start(
      Path home, Path dir, Path config, ClusterYaml ports, Duration healthTimeout)
      throws IOException, InterruptedException {
    ProcessCluster c = new ProcessCluster("127.0.0.1:" + ports.masterGrpc());
    try {
      Process master =
          c.launch(home, dir, "master", List.of("master", "--config", config.toString()));
      awaitHealth(master, "master", ports.masterHttp(), dir.resolve("master.log"), healthTimeout);
      List<Process> workers = new ArrayList<>();
      for (int i = 1; i <= ports.workerPorts().size(); i++) {
        workers.add(
            c.launch(
                home,
                dir,
                "worker-w" + i,
                List.of("worker", "--config", config.toString(), "--id", "w" + i)));
      }
      for (int i = 1; i <= workers.size(); i++) {
        awaitHealth(
            workers.get(i - 1),
            "worker w" + i,
            ports.workerPorts().get(i - 1)[1],
            dir.resolve("worker-w" + i + ".log"),
            healthTimeout);
      }
      awaitLiveWorkers(master, ports.masterHttp(), workers.size(), dir, healthTimeout);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private Process launch(Path home, Path dir, String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/sluice").toString());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SLUICE_NO_BUILD", "1");
    pb.environment().put("SLUICE_RUN_DIR", dir.toString());
    Process p = pb.start();
    Children.add(p);
    processes.add(p);
    Path pidFile = dir.resolve(name + ".pid");
    Files.writeString(pidFile, p.pid() + "\n");
    pidFiles.add(pidFile);
    return p;
  }

  private static void awaitHealth(Process p, String name, int httpPort, Path log, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (health(httpPort) == null) {
      if (!p.isAlive()) {
        throw new IOException(
            name
                + " (pid "
                + p.pid()
                + ") exited with "
                + p.exitValue()
                + " before answering http://127.0.0.1:"
                + httpPort
                + "/health; last lines of "
                + log
                + ":\n"
                + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            name
                + " (pid "
                + p.pid()
                + ") did not answer http://127.0.0.1:"
                + httpPort
                + "/health within "
                + timeout.toSeconds()
                + " s; see "
                + log
                + " (--health-timeout waits longer)");
      }
      Thread.sleep(200);
    }
  }

  private static void awaitLiveWorkers(
      Process master, int httpPort, int n, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int live = -1;
    while (true) {
      JsonNode h = health(httpPort);
      live = h == null ? -1 : h.path("liveWorkers").asInt(-1);
      if (live >= n) {
        return;
      }
      if (!master.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "the master counts "
                + live
                + " live workers of "
                + n
                + " after "
                + timeout.toSeconds()
                + " s; see the logs in "
                + dir);
      }
      Thread.sleep(200);
    }
  }

  /** The process's {@code /health} body when it answers 200, else null. */
  private static JsonNode health(int httpPort) throws InterruptedException {
    try {
      HttpResponse<String> r =
          Http.CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(
          "\n",
          lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream()
              .map(l -> "  " + l)
              .toList());
    } catch (IOException | UncheckedIOException e) {
      return "  (cannot read it: " + e.getMessage() + ")";
    }
  }

  @Override
  public String address() {
    return address;
  }

  /** Stops the workers, then the master: TERM, and KILL what is left after the grace period. */
  @Override
  public void close() {
    List<Process> order = new ArrayList<>(processes);
    java.util.Collections.reverse(order); // workers first, the master last
    Children.stop(order, STOP_GRACE);
    processes.clear();
    for (Path f : pidFiles) {
      try {
        Files.deleteIfExists(f); // stopped: a pid file would name a process that is gone
      } catch (IOException ignored) {
        // nothing to undo
      }
    }
    pidFiles.clear();
  }

  /** One HTTP client for the health checks. */
  private static final class Http {
    static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }
}

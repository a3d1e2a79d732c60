package io.sluice.runtime.aws;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Lambda-compatible Invoke endpoint for tests: {@code serverless offline start} (serverless
 * 3.40.0 with serverless-offline 13.9.0, from {@code $SLUICE_NODE_TOOLS}, which
 * scripts/npm-tools.sh installs) serving the Node.js handlers of {@code offline/} (copied to a
 * temporary directory) on free 127.0.0.1 ports. Without {@code SLUICE_NODE_TOOLS} the calling test
 * is skipped with the reason, and fails under {@code CI=true}. Stopped by its process handle,
 * descendants first.
 */
final class ServerlessOffline implements AutoCloseable {
  static final String SERVICE_PREFIX = "sluice-test-dev-";
  private static final Duration START_PATIENCE = Duration.ofSeconds(90);

  private final Process process;
  private final Path dir;
  private final int lambdaPort;

  private ServerlessOffline(Process process, Path dir, int lambdaPort) {
    this.process = process;
    this.dir = dir;
    this.lambdaPort = lambdaPort;
  }

  /** Starts serverless-offline and waits until its Lambda port answers. */
  static ServerlessOffline start() throws Exception {
    String tools = System.getenv("SLUICE_NODE_TOOLS");
    Path serverless = tools == null ? null : Path.of(tools, ".bin", "serverless");
    if (serverless == null || !Files.isExecutable(serverless)) {
      String why =
          "serverless-offline is not installed: "
              + (tools == null
                  ? "SLUICE_NODE_TOOLS is not set"
                  : serverless + " is not an executable")
              + "; run `eval \"$(scripts/npm-tools.sh DIR)\"` (or scripts/services.sh start DIR)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the aws-lambda tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Path dir = Files.createTempDirectory("sluice-sls-");
    Path source = Path.of(ServerlessOffline.class.getResource("offline").toURI());
    for (String f : List.of("serverless.yml", "handler.js")) {
      Files.copy(source.resolve(f), dir.resolve(f));
    }
    Files.createSymbolicLink(dir.resolve("node_modules"), Path.of(tools).toAbsolutePath());
    int[] ports = freePorts(4);
    List<String> cmd = new ArrayList<>();
    cmd.add(serverless.toString());
    cmd.addAll(List.of("offline", "start", "--host", "127.0.0.1", "--noPrependStageInUrl"));
    cmd.addAll(List.of("--lambdaPort", Integer.toString(ports[0])));
    cmd.addAll(List.of("--httpPort", Integer.toString(ports[1])));
    cmd.addAll(List.of("--websocketPort", Integer.toString(ports[2])));
    cmd.addAll(List.of("--albPort", Integer.toString(ports[3])));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("offline.log").toFile());
    pb.environment().put("SLS_TELEMETRY_DISABLED", "1");
    pb.environment().put("SLS_NOTIFICATIONS_MODE", "off");
    pb.environment().put("SLS_DEPRECATION_DISABLE", "*");
    ServerlessOffline s = new ServerlessOffline(pb.start(), dir, ports[0]);
    try {
      s.awaitListening();
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The endpoint to give the {@code endpoint} setting. */
  String endpoint() {
    return "http://127.0.0.1:" + lambdaPort;
  }

  /** The temporary directory the service runs in (handlers may write files there). */
  Path dir() {
    return dir;
  }

  /** What serverless-offline printed so far. */
  String log() {
    try {
      return Files.readString(dir.resolve("offline.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Whether the Lambda port accepts a connection; fails at once if the process has exited. */
  private boolean listening() {
    if (!process.isAlive()) {
      fail("serverless offline exited with " + process.exitValue() + ":\n" + log());
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", lambdaPort), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void awaitListening() throws Exception {
    try {
      Awaitility.await()
          .atMost(START_PATIENCE)
          .pollInterval(Duration.ofMillis(100))
          .until(this::listening);
      return;
    } catch (ConditionTimeoutException notInTime) {
      // reported below, with the log
    }
    fail(
        "serverless offline did not listen on "
            + lambdaPort
            + " within "
            + START_PATIENCE
            + ":\n"
            + log());
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    all.forEach(ProcessHandle::destroyForcibly);
    try (var files = Files.walk(dir)) { // does not follow the node_modules link
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}

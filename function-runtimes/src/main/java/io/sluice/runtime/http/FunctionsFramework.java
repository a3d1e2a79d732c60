package io.sluice.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Google's functions framework ({@code @google-cloud/functions-framework} from npm, installed by
 * {@code scripts/npm-tools.sh} under {@code $SLUICE_NODE_TOOLS}) serving one function on a free
 * 127.0.0.1 port: the real other side of the {@code http} runtime for tests, {@code bin/sluice
 * bench runtime} and examples. The framework serves one target per process. {@link #close} stops
 * the process and its descendants, by handle.
 */
public final class FunctionsFramework implements AutoCloseable {
  /** The variable naming the node_modules folder the tools are installed in. */
  public static final String TOOLS_ENV = "SLUICE_NODE_TOOLS";

  private final Process process;
  private final int port;
  private final Path log;

  private FunctionsFramework(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The framework's launcher, or null when {@code SLUICE_NODE_TOOLS} does not hold one. */
  static Path binary() {
    String tools = System.getenv(TOOLS_ENV);
    if (tools == null || tools.isBlank()) {
      return null;
    }
    Path bin = Path.of(tools, ".bin", "functions-framework");
    return Files.isExecutable(bin) ? bin : null;
  }

  /** Why the framework cannot be started here, or null when it can. */
  public static String problem() {
    String tools = System.getenv(TOOLS_ENV);
    if (tools == null || tools.isBlank()) {
      return TOOLS_ENV
          + " is not set: install the Node.js tools with `scripts/npm-tools.sh DIR` and export the"
          + " variable it prints (scripts/services.sh start does both)";
    }
    if (binary() == null) {
      return TOOLS_ENV + "=" + tools + " has no executable .bin/functions-framework";
    }
    return null;
  }

  /**
   * Starts {@code target} of the JavaScript in {@code source} (a file or a folder with index.js)
   * with {@code signatureType} ({@code http} or {@code cloudevent}) and waits, up to {@code
   * startTimeout}, until it accepts connections.
   *
   * @throws IOException when the framework is missing, exits or does not listen in time; the
   *     message has the end of its output
   */
  public static FunctionsFramework start(
      Path source, String target, String signatureType, Duration startTimeout) throws IOException {
    String why = problem();
    if (why != null) {
      throw new IOException(why);
    }
    Path dir = Files.createTempDirectory("sluice-ff-");
    Path preload = dir.resolve("loopback.js");
    try (InputStream in = FunctionsFramework.class.getResourceAsStream("loopback.js")) {
      Files.write(preload, in.readAllBytes());
    }
    Path log = dir.resolve("framework.log");
    int port = freePort();
    ProcessBuilder b =
        new ProcessBuilder(
                List.of(
                    binary().toString(),
                    "--target=" + target,
                    "--signature-type=" + signatureType,
                    "--port=" + port,
                    "--source=" + source.toAbsolutePath()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    b.environment().put("NODE_OPTIONS", "--require=" + preload);
    b.environment().put("NODE_ENV", "development"); // error messages in 500 bodies
    Process p = b.start();
    FunctionsFramework ff = new FunctionsFramework(p, port, log);
    long until = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      if (!p.isAlive()) {
        String out = ff.output();
        ff.close(); // its temporary folder
        throw new IOException(
            "functions-framework (target "
                + target
                + ") exited with "
                + p.exitValue()
                + ": "
                + out);
      }
      if (accepts(port)) {
        return ff;
      }
      if (System.nanoTime() > until) {
        String out = ff.output();
        ff.close();
        throw new IOException(
            "functions-framework (target "
                + target
                + ") did not listen on port "
                + port
                + " within "
                + startTimeout.toSeconds()
                + " s: "
                + out);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ff.close();
        throw new IOException("interrupted while functions-framework started", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code http://127.0.0.1:PORT/}: where the function answers. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public long pid() {
    return process.pid();
  }

  /** The end (up to 2,000 characters) of what the framework printed. */
  public String output() {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? "…" + s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops the framework and everything it started: TERM, then KILL after 5 s. */
  @Override
  public void close() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      Path dir = log.getParent();
      Files.deleteIfExists(log);
      Files.deleteIfExists(dir.resolve("loopback.js"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temp folder left behind
    }
  }
}

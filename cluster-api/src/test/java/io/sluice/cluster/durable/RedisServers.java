package io.sluice.cluster.durable;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the journal tests use: {@code SLUICE_REDIS_URI} (system property or environment), or a
 * redis-server of a test's own that it can stop and start again. Without either the tests are
 * skipped locally but fail under {@code CI=true}, so CI never skips them.
 */
public final class RedisServers {
  private RedisServers() {}

  public static URI sharedUri() {
    String uri = System.getProperty("SLUICE_REDIS_URI", System.getenv("SLUICE_REDIS_URI"));
    if (uri == null || uri.isBlank()) {
      skipOrFail(
          "SLUICE_REDIS_URI is not set; run `scripts/services.sh start DIR` and export the line it"
              + " prints");
    }
    return URI.create(uri.trim());
  }

  private static void skipOrFail(String why) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: Redis tests must run, not be skipped)");
    }
    Assumptions.abort(why);
  }

  /** Runs {@code fn} on a synchronous connection of its own. */
  public static <T> T with(URI uri, Function<StatefulRedisConnection<String, String>, T> fn) {
    RedisClient client = RedisClient.create(uri.toString());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return fn.apply(c);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Every key that starts with {@code prefix} (SCAN). */
  public static List<String> keysUnder(URI uri, String prefix) {
    return with(
        uri,
        c -> {
          List<String> keys = new ArrayList<>();
          ScanIterator.scan(c.sync(), ScanArgs.Builder.matches(prefix + "*").limit(1000))
              .forEachRemaining(keys::add);
          return keys;
        });
  }

  public static void deleteUnder(URI uri, String prefix) {
    List<String> keys = keysUnder(uri, prefix);
    if (!keys.isEmpty()) {
      with(uri, c -> c.sync().del(keys.toArray(String[]::new)));
    }
  }

  /** A free port on 127.0.0.1 (closed again, so a server can take it). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A redis-server of this test's own on 127.0.0.1:{@code port}, without persistence. */
  public static final class Own implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    public Own(int port) throws IOException {
      this(port, new String[0]);
    }

    /** {@code extra}: more redis-server options ({@code --requirepass}, TLS...), later ones win. */
    public Own(int port, String... extra) throws IOException {
      this.port = port;
      this.dir = Files.createTempDirectory("journal-redis");
      this.extra = List.of(extra);
    }

    /** The folder the server runs in (its log, and a test's certificates). */
    public Path dir() {
      return dir;
    }

    public URI uri() {
      return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts it and waits (bounded) until it accepts connections. */
    public void start() throws Exception {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString()));
      command.addAll(extra);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile());
      try {
        process = pb.start();
      } catch (IOException e) {
        skipOrFail("redis-server is not on PATH (scripts/services.sh installs it): " + e);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "redis-server on port "
                  + port
                  + " exited: "
                  + Files.readString(dir.resolve("redis.log")));
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("redis-server on port " + port + " did not listen in 20s");
    }

    /** Stops exactly this server (SIGTERM to its pid, then SIGKILL) and waits for it. */
    public void stop() throws InterruptedException {
      if (process == null) {
        return;
      }
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }

    @Override
    public void close() {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

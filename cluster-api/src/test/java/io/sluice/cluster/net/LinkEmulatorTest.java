package io.sluice.cluster.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.LinkConfig;
import io.sluice.testing.IntegrationTest;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaping relay over raw TCP against an echo server: lower bounds of the model (a round trip
 * takes at least twice the latency, a transfer at least size / bandwidth), bytes intact and in
 * order under concurrent connections, and a clean close. No upper bounds: timings are noisy.
 */
@IntegrationTest // TCP servers and relays on loopback, timing lower bounds
class LinkEmulatorTest {
  private EchoServer echo;

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
  }

  @AfterEach
  void stop() throws IOException {
    echo.close();
  }

  private static Socket connect(String hostPort) throws IOException {
    HostPort hp = HostPort.parse(hostPort);
    Socket s = new Socket(hp.host(), hp.port());
    s.setTcpNoDelay(true);
    s.setSoTimeout(30_000);
    return s;
  }

  @Test
  void everyRoundTripTakesAtLeastTwiceTheLatency() throws Exception {
    Duration latency = Duration.ofMillis(3);
    try (LinkEmulator links = new LinkEmulator("rtt", new LinkConfig(latency, 0));
        Socket s = connect(links.route(echo.address()))) {
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] ping = new byte[64];
      byte[] pong = new byte[64];
      for (int i = 0; i < 50; i++) {
        ping[0] = (byte) i;
        long t0 = System.nanoTime();
        out.write(ping);
        in.readFully(pong);
        long rtt = System.nanoTime() - t0;
        assertThat(rtt).as("round trip %d", i).isGreaterThanOrEqualTo(2 * latency.toNanos());
        assertThat(pong).isEqualTo(ping);
      }
      // a writer counts a chunk once its write returned, which may be after the reader has it
      awaitCounted(links, 50 * 64);
      LinkCounters c = links.counters();
      assertThat(c.connections()).isEqualTo(1);
      assertThat(c.bytesSent()).isEqualTo(50 * 64);
      assertThat(c.chunksSent()).isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void bytesArriveIntactAndInOrderOverConcurrentConnections() throws Exception {
    LinkConfig link = new LinkConfig(Duration.ofMillis(1), 200_000_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (LinkEmulator links = new LinkEmulator("order", link)) {
      String relay = links.route(echo.address());
      List<Future<?>> runs = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        long seed = c;
        runs.add(pool.submit(() -> roundTrip(relay, seed, 3 << 20, pool)));
      }
      for (Future<?> f : runs) {
        f.get(120, TimeUnit.SECONDS);
      }
      awaitCounted(links, 4L * (3 << 20));
      assertThat(links.counters().connections()).isEqualTo(4);
      assertThat(links.counters().bytesSent()).isEqualTo(4L * (3 << 20));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Sends {@code size} random bytes in random pieces and checks the echo byte for byte. */
  private static Void roundTrip(String relay, long seed, int size, ExecutorService pool)
      throws Exception {
    byte[] data = new byte[size];
    Random r = new Random(seed);
    r.nextBytes(data);
    try (Socket s = connect(relay)) {
      Future<?> writer =
          pool.submit(
              () -> {
                OutputStream out = s.getOutputStream();
                int off = 0;
                while (off < size) {
                  int n = Math.min(size - off, 1 + r.nextInt(100_000));
                  out.write(data, off, n);
                  off += n;
                }
                return null;
              });
      byte[] back = new byte[size];
      new DataInputStream(s.getInputStream()).readFully(back);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(back).isEqualTo(data);
    }
    return null;
  }

  @Test
  void aTransferIsNeverFasterThanTheBandwidth() throws Exception {
    long bandwidth = 20_000_000; // 20 MB/s
    int size = 4_000_000;
    Duration latency = Duration.ofMillis(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LinkEmulator links = new LinkEmulator("bulk", new LinkConfig(latency, bandwidth));
        Socket s = connect(links.route(echo.address()))) {
      byte[] data = new byte[size];
      new Random(7).nextBytes(data);
      long t0 = System.nanoTime();
      Future<?> writer =
          pool.submit(
              () -> {
                s.getOutputStream().write(data);
                return null;
              });
      byte[] back = new byte[size];
      InputStream in = s.getInputStream();
      new DataInputStream(in).readFully(back);
      long elapsed = System.nanoTime() - t0;
      writer.get(60, TimeUnit.SECONDS);
      assertThat(back).isEqualTo(data);
      // both directions are paced; the echo's pieces pipeline, so the bound is one size/bandwidth
      // plus a round trip's latency
      long floor = size * 1_000_000_000L / bandwidth + 2 * latency.toNanos();
      assertThat(elapsed).isGreaterThanOrEqualTo(floor);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedSideClosesTheOtherAndCloseLeavesNothingBehind() throws Exception {
    LinkEmulator links = new LinkEmulator("close-test", new LinkConfig(Duration.ofMillis(1), 0));
    String relay = links.route(echo.address());
    assertThat(links.route(echo.address())).as("one relay per target").isEqualTo(relay);
    try (Socket s = connect(relay)) {
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
      assertThat(links.openConnections()).isEqualTo(1);
    }
    // the client closed: the echo server sees the end, closes, and the relay closes both sides
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> links.openConnections() == 0);

    Socket idle = connect(relay); // still open when the emulator closes
    idle.getOutputStream().write(2);
    assertThat(idle.getInputStream().read()).isEqualTo(2);
    links.close();
    assertThat(idle.getInputStream().read()).as("the relay closed the connection").isEqualTo(-1);
    idle.close();
    assertThat(threads("sluice-link close-test")).isEmpty();
    HostPort hp = HostPort.parse(relay);
    assertThatThrownBy(
            () -> new Socket().connect(new InetSocketAddress(hp.host(), hp.port()), 2000))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> links.route(echo.address()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aPlainRelayHasNoWriterThreads() throws Exception {
    try (LinkEmulator links = new LinkEmulator("plain", new LinkConfig(Duration.ZERO, 0));
        Socket s = connect(links.route(echo.address()))) {
      s.getOutputStream().write(new byte[] {1, 2, 3});
      byte[] back = new DataInputStream(s.getInputStream()).readNBytes(3);
      assertThat(back).containsExactly(1, 2, 3);
      assertThat(threads("sluice-link plain")).noneMatch(n -> n.endsWith("writer"));
      assertThat(threads("sluice-link plain")).anyMatch(n -> n.endsWith("out reader"));
    }
  }

  @Test
  void anUnreachableTargetDropsTheConnection() throws Exception {
    String nobody;
    try (EchoServer gone = new EchoServer()) {
      nobody = gone.address();
    }
    try (LinkEmulator links = new LinkEmulator("gone", new LinkConfig(Duration.ofMillis(1), 0));
        Socket s = connect(links.route(nobody))) {
      int read;
      try {
        read = s.getInputStream().read();
      } catch (IOException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      assertThat(links.counters().connections()).isZero();
    }
  }

  /** Waits until the echoed bytes are counted in both directions. */
  private static void awaitCounted(LinkEmulator links, long bytes) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                links.counters().bytesSent() >= bytes && links.counters().bytesReceived() >= bytes);
    assertThat(links.counters().bytesReceived()).isEqualTo(bytes);
  }

  private static List<String> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .toList();
  }
}

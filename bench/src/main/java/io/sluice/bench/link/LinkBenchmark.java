package io.sluice.bench.link;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.LinkConfig;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.time.SystemScheduler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How faithfully {@link LinkEmulator} emulates a link, measured through its relay on loopback: (1)
 * the round trip of small TCP ping-pongs against the configured two latencies (as measured, and
 * less the direct round trip: what the emulated link added), (2) a gRPC unary round trip (the
 * master's ClusterService heartbeat) against the direct one plus two latencies, (3) the throughput
 * of one large one-way transfer against the configured bandwidth, and (4) what the relay itself
 * adds: a plain relay's (no latency, no bandwidth limit) round trip less the direct one.
 */
public final class LinkBenchmark {
  private static final int WARMUP = 200;
  private static final int PING_BYTES = 64;

  /**
   * One line of results.
   *
   * @param configured what the link model says (null: nothing to compare with)
   * @param p99 the 99th percentile (null for a single measurement)
   */
  public record Row(String measure, String unit, Double configured, double median, Double p99) {
    /**
     * How far the median is from the configured figure, in percent (null when nothing to compare).
     */
    public Double deviationPct() {
      return configured == null || configured == 0
          ? null
          : (median - configured) / configured * 100;
    }
  }

  private final LinkConfig link;
  private final int pings;
  private final long transferBytes;

  /**
   * @param pings round trips measured per series (after {@value #WARMUP} warm-up ones)
   * @param transferBytes size of the one-way transfer
   */
  public LinkBenchmark(LinkConfig link, int pings, long transferBytes) {
    this.link = link;
    this.pings = pings;
    this.transferBytes = transferBytes;
  }

  public List<Row> run() throws Exception {
    List<Row> rows = new ArrayList<>();
    double twoLatenciesMs = 2 * link.latency().toNanos() / 1e6;
    try (TcpServers echo = TcpServers.echo();
        TcpServers sink = TcpServers.sink();
        LinkEmulator shaped = new LinkEmulator("bench", link);
        LinkEmulator plain = new LinkEmulator("bench-plain", new LinkConfig(Duration.ZERO, 0))) {
      double[] direct = pingPong(echo.address());
      double[] through = pingPong(shaped.route(echo.address()));
      rows.add(row("tcp round trip", "ms", twoLatenciesMs, through));
      rows.add(
          new Row(
              "tcp round trip less direct",
              "ms",
              twoLatenciesMs,
              median(through) - median(direct),
              null));
      double[][] grpcCalls;
      try (GrpcTarget grpc = new GrpcTarget()) {
        grpcCalls = grpc.roundTrips(grpc.address(), shaped.route(grpc.address()));
      }
      double[] grpcDirect = grpcCalls[0];
      double[] grpcThrough = grpcCalls[1];
      rows.add(row("grpc round trip", "ms", median(grpcDirect) + twoLatenciesMs, grpcThrough));
      rows.add(row("grpc round trip, direct", "ms", null, grpcDirect));
      double mbPerSec = transfer(shaped.route(sink.address()));
      rows.add(
          new Row(
              "transfer " + io.sluice.model.format.ByteSizes.format(transferBytes),
              "MB/s",
              link.paced() ? link.bandwidth() / 1e6 : null,
              mbPerSec,
              null));
      double[] relayed = pingPong(plain.route(echo.address()));
      rows.add(row("tcp round trip, direct", "ms", null, direct));
      rows.add(row("tcp round trip, plain relay", "ms", null, relayed));
      rows.add(
          new Row(
              "plain relay's own cost",
              "us",
              null,
              (median(relayed) - median(direct)) * 1000,
              null));
    }
    return rows;
  }

  private static Row row(String measure, String unit, Double configured, double[] samplesMs) {
    return new Row(measure, unit, configured, median(samplesMs), percentile(samplesMs, 0.99));
  }

  /** Round trips of {@value #PING_BYTES}-byte ping-pongs to an echo at {@code address}, in ms. */
  private double[] pingPong(String address) throws IOException {
    try (Socket s = connect(address)) {
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] ping = new byte[PING_BYTES];
      byte[] pong = new byte[PING_BYTES];
      double[] ms = new double[pings];
      for (int i = -WARMUP; i < pings; i++) {
        ping[0] = (byte) i;
        long t0 = System.nanoTime();
        out.write(ping);
        in.readFully(pong);
        long rtt = System.nanoTime() - t0;
        if (pong[0] != ping[0]) {
          throw new IOException("the echo through " + address + " answered the wrong bytes");
        }
        if (i >= 0) {
          ms[i] = rtt / 1e6;
        }
      }
      return ms;
    }
  }

  /** Sends {@code transferBytes} to the sink at {@code address}; MB/s until its answer. */
  private double transfer(String address) throws IOException {
    try (Socket s = connect(address)) {
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) 7);
      OutputStream out = s.getOutputStream();
      long t0 = System.nanoTime();
      for (long left = transferBytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
      s.shutdownOutput();
      if (s.getInputStream().read() != 1) {
        throw new IOException("the sink through " + address + " did not confirm the transfer");
      }
      return transferBytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static Socket connect(String address) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s =
        new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    s.setTcpNoDelay(true);
    s.setSoTimeout(120_000);
    return s;
  }

  static double median(double[] samples) {
    return percentile(samples, 0.5);
  }

  static double percentile(double[] samples, double p) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** A master's gRPC server to call: its ClusterService heartbeat is a small unary call. */
  private final class GrpcTarget implements AutoCloseable {
    private final SystemScheduler scheduler = new SystemScheduler(1);
    private final Master master = new Master(MasterOptions.defaults(), scheduler);
    private final MasterServer server = MasterServer.start(master, "127.0.0.1", 0);

    String address() {
      return server.address();
    }

    /**
     * Heartbeat round trips in ms through a channel to each address, the calls alternating between
     * them so that both series see the same machine load.
     */
    double[][] roundTrips(String... addresses) throws InterruptedException {
      List<ManagedChannel> channels = new ArrayList<>();
      try {
        List<ClusterServiceGrpc.ClusterServiceBlockingStub> stubs = new ArrayList<>();
        for (String address : addresses) {
          ManagedChannel channel =
              Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
          channels.add(channel);
          stubs.add(ClusterServiceGrpc.newBlockingStub(channel));
        }
        HeartbeatRequest req =
            HeartbeatRequest.newBuilder().setWorkerId("bench").setFreeSlots(1).build();
        double[][] ms = new double[addresses.length][pings];
        for (int i = -WARMUP; i < pings; i++) {
          for (int a = 0; a < stubs.size(); a++) {
            long t0 = System.nanoTime();
            stubs.get(a).withDeadlineAfter(30, TimeUnit.SECONDS).heartbeat(req);
            if (i >= 0) {
              ms[a][i] = (System.nanoTime() - t0) / 1e6;
            }
          }
        }
        return ms;
      } finally {
        for (ManagedChannel channel : channels) {
          channel.shutdownNow();
          channel.awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }

    @Override
    public void close() {
      server.close();
      master.close();
      scheduler.close();
    }
  }
}

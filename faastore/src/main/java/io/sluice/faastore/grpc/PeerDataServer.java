package io.sluice.faastore.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sluice.faastore.DataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Netty gRPC server carrying only {@link PeerService}: one worker's memory reachable by peers,
 * for tests, benchmarks and store-only processes. Workers serve the same methods from their own
 * server through {@link PeerDataHandler}.
 */
public final class PeerDataServer implements AutoCloseable {
  private final Server server;
  private final String host;

  private PeerDataServer(Server server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Serves {@code local} on {@code bind} (port 0 picks a free port). */
  public static PeerDataServer start(
      InetSocketAddress bind, DataStore local, GrpcPeerOptions options) {
    Server server =
        NettyServerBuilder.forAddress(bind)
            .addService(new PeerService(new PeerDataHandler(local, options)))
            .maxInboundMessageSize(options.maxInboundMessageSize())
            .flowControlWindow(options.flowControlWindow())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve FaaStore peer data on " + bind, e);
    }
    return new PeerDataServer(server, bind.getHostString());
  }

  /** Serves {@code local} on 127.0.0.1 at a free port. */
  public static PeerDataServer onLoopback(DataStore local, GrpcPeerOptions options) {
    return start(new InetSocketAddress("127.0.0.1", 0), local, options);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code host:port}, as peers dial it. */
  public String address() {
    return host + ":" + port();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

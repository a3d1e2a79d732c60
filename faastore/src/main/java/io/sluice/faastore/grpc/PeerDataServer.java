package io.sluice.faastore.grpc;

import io.sluice.cluster.grpc.GrpcServer;
import io.sluice.faastore.DataStore;
import java.net.InetSocketAddress;

/**
 * A Netty gRPC server carrying only {@link PeerService}: one worker's memory reachable by peers,
 * for tests, benchmarks and store-only processes. Workers serve the same methods from their own
 * server through {@link PeerDataHandler}.
 */
public final class PeerDataServer implements AutoCloseable {
  private final GrpcServer server;

  private PeerDataServer(GrpcServer server) {
    this.server = server;
  }

  /** Serves {@code local} on {@code bind} (port 0 picks a free port). */
  public static PeerDataServer start(
      InetSocketAddress bind, DataStore local, GrpcPeerOptions options) {
    GrpcServer server =
        GrpcServer.forAddress("FaaStore peer data", bind.getHostString(), bind.getPort())
            .service(new PeerService(new PeerDataHandler(local, options)))
            .maxInboundMessageSize(options.maxInboundMessageSize())
            .flowControlWindow(options.flowControlWindow())
            .start();
    return new PeerDataServer(server);
  }

  /** Serves {@code local} on 127.0.0.1 at a free port. */
  public static PeerDataServer onLoopback(DataStore local, GrpcPeerOptions options) {
    return start(new InetSocketAddress("127.0.0.1", 0), local, options);
  }

  public int port() {
    return server.port();
  }

  /** {@code host:port}, as peers dial it. */
  public String address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }
}

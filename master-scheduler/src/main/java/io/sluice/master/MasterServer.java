package io.sluice.master;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sluice.master.rpc.ClusterGrpcService;
import io.sluice.master.rpc.WorkflowGrpcService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The master's gRPC server: WorkflowService for clients, ClusterService for workers. */
public final class MasterServer implements AutoCloseable {
  private final Server server;
  private final String host;

  private MasterServer(Server server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Binds {@code host:port} (port 0 = any free one) and serves {@code master}.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static MasterServer start(Master master, String host, int port) {
    Server s =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .addService(new WorkflowGrpcService(master))
            .addService(new ClusterGrpcService(master))
            .build();
    try {
      s.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException(
              "master cannot serve gRPC on "
                  + host
                  + ":"
                  + port
                  + ": "
                  + e.getMessage()
                  + "; is another process using the port?",
              e));
    }
    return new MasterServer(s, host);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code host:port}, the address clients and workers dial. */
  public String address() {
    return host + ":" + port();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
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

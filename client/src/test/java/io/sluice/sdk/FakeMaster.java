package io.sluice.sdk;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.sluice.proto.WorkflowServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A WorkflowService whose answers a test scripts, on a loopback port. */
final class FakeMaster implements AutoCloseable {
  private final Server server;

  FakeMaster(WorkflowServiceGrpc.WorkflowServiceImplBase service) {
    this(service, 0);
  }

  /** On {@code port} (0 = any free one), bound with address reuse, as the real servers are. */
  FakeMaster(WorkflowServiceGrpc.WorkflowServiceImplBase service, int port) {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .withOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.SO_REUSEADDR, true)
            .addService(service)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  SluiceClient client() {
    return SluiceClient.builder()
        .target(address())
        .maxAttempts(3)
        .retryBackoff(java.time.Duration.ofMillis(10))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}

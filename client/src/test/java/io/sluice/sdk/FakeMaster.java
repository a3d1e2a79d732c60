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
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
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

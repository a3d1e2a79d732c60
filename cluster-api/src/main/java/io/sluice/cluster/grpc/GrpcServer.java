package io.sluice.cluster.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.sluice.cluster.wire.WireLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one gRPC server bootstrap of the project (master, worker, FaaStore's peer data service):
 * Netty on {@code host:port} (port 0 picks a free one), the cluster's message size limit, address
 * reuse so a restarted process can bind its port again at once, an optional set of methods run on
 * the I/O thread, one bind-error message, and one shutdown.
 */
public final class GrpcServer implements AutoCloseable {
  private static final Executor DIRECT = Runnable::run;
  private final Server server;
  private final String host;
  private final HealthStatusManager health;

  private GrpcServer(Server server, String host, HealthStatusManager health) {
    this.server = server;
    this.host = host;
    this.health = health;
  }

  /**
   * A server for {@code owner} (named in errors, e.g. {@code "worker w1"}) on {@code host:port}.
   */
  public static Builder forAddress(String owner, String host, int port) {
    return new Builder(owner, host, port);
  }

  /** The port bound (the actual one when started with port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** {@code host:port}, the address others dial. */
  public String address() {
    return host + ":" + port();
  }

  /** Blocks until the server stops. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops serving at once: open calls and streams are cut (clients and peers reconnect). Health
   * watchers are told NOT_SERVING first.
   */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a server serves and how; {@link #start()} binds it. */
  public static final class Builder {
    private final String owner;
    private final String host;
    private final int port;
    private final List<BindableService> services = new ArrayList<>();
    private int maxInboundMessageSize = WireLimits.MAX_MESSAGE_BYTES;
    private int flowControlWindow;
    private Predicate<MethodDescriptor<?, ?>> onIoThread = m -> false;
    private ServerCredentials credentials = InsecureServerCredentials.create();

    private Builder(String owner, String host, int port) {
      this.owner = owner;
      this.host = host;
      this.port = port;
    }

    public Builder service(BindableService service) {
      services.add(service);
      return this;
    }

    /**
     * How callers connect: plaintext (the default) or TLS ({@link
     * io.sluice.cluster.tls.TlsContexts#server}).
     */
    public Builder credentials(ServerCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Largest message accepted (default {@link WireLimits#MAX_MESSAGE_BYTES}). */
    public Builder maxInboundMessageSize(int bytes) {
      this.maxInboundMessageSize = bytes;
      return this;
    }

    /** The HTTP/2 flow-control window per stream (0: gRPC's default). */
    public Builder flowControlWindow(int bytes) {
      this.flowControlWindow = bytes;
      return this;
    }

    /**
     * Methods whose calls run on the Netty I/O thread instead of gRPC's executor: only for handlers
     * that never block (they post to a mailbox), to save a thread hand-off per call or message.
     */
    public Builder onIoThread(Predicate<MethodDescriptor<?, ?>> methods) {
      this.onIoThread = methods;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException naming the owner and the address when it cannot be bound
     */
    public GrpcServer start() {
      DeframeLogFilter.install(); // a client's oversized message: one log line, no stack trace
      Predicate<MethodDescriptor<?, ?>> direct = onIoThread;
      Map<String, MethodDescriptor<?, ?>> originals = new HashMap<>();
      NettyServerBuilder b =
          NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
              .maxInboundMessageSize(maxInboundMessageSize)
              .withOption(ChannelOption.SO_REUSEADDR, true)
              .callExecutor(
                  new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(
                        io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers) {
                      MethodDescriptor<?, ?> m =
                          originals.get(call.getMethodDescriptor().getFullMethodName());
                      return m != null && direct.test(m) ? DIRECT : null;
                    }
                  });
      if (flowControlWindow > 0) {
        b.flowControlWindow(flowControlWindow);
      }
      // Requests that cannot be decoded end with INVALID_ARGUMENT (CallGuard); the
      // I/O-thread predicate still sees each method's own descriptor.
      // Every server answers the standard gRPC health check (SERVING while it runs, for the
      // server as a whole and for each service by name) and server reflection (grpcurl lists and
      // describes the services without the .proto files).
      HealthStatusManager health = new HealthStatusManager();
      List<BindableService> all = new ArrayList<>(services);
      all.add(health.getHealthService());
      all.add(ProtoReflectionServiceV1.newInstance());
      for (BindableService s : all) {
        ServerServiceDefinition d = s.bindService();
        d.getMethods()
            .forEach(
                m ->
                    originals.put(
                        m.getMethodDescriptor().getFullMethodName(), m.getMethodDescriptor()));
        b.addService(CallGuard.guard(d));
        health.setStatus(d.getServiceDescriptor().getName(), ServingStatus.SERVING);
      }
      Server server = b.build();
      try {
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(
            new IOException(
                owner
                    + " cannot serve gRPC on "
                    + host
                    + ":"
                    + port
                    + ": "
                    + e.getMessage()
                    + "; is another process using the port?",
                e));
      }
      return new GrpcServer(server, host, health);
    }
  }
}

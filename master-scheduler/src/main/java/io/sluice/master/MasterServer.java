package io.sluice.master;

import io.sluice.cluster.grpc.GrpcServer;
import io.sluice.cluster.tls.PeerGuard;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.master.audit.AuditInterceptor;
import io.sluice.master.auth.AuthInterceptor;
import io.sluice.master.auth.TokenStore;
import io.sluice.master.rpc.ClusterGrpcService;
import io.sluice.master.rpc.WorkflowGrpcService;
import java.io.UncheckedIOException;

/**
 * The master's gRPC server: WorkflowService for clients (audited, {@link AuditInterceptor}),
 * ClusterService for workers; messages up to the cluster's {@code limits.grpcMessageSize}.
 */
public final class MasterServer implements AutoCloseable {
  private final GrpcServer server;

  private MasterServer(GrpcServer server) {
    this.server = server;
  }

  /**
   * Binds {@code host:port} (port 0 = any free one) and serves {@code master}.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static MasterServer start(Master master, String host, int port) {
    return start(master, host, port, null);
  }

  /**
   * As {@link #start(Master, String, int)}; with {@code tokens} (non-null) every WorkflowService
   * call must carry a token of a role that covers it ({@link AuthInterceptor}). ClusterService is
   * not covered.
   */
  public static MasterServer start(Master master, String host, int port, TokenStore tokens) {
    return start(master, host, port, tokens, master.tls());
  }

  /**
   * As above, serving TLS with {@code tls} (when enabled): clients may come without a certificate
   * (they authenticate by token), ClusterService admits only workers, each as itself ({@link
   * PeerGuard#workerAsItself}).
   */
  public static MasterServer start(
      Master master, String host, int port, TokenStore tokens, TlsContexts tls) {
    WorkflowGrpcService workflows = new WorkflowGrpcService(master);
    // the audit log and the client key of event rates (docs/security.md); the last interceptor
    // runs first, so the audit sees the authentication's refusals and principal
    io.grpc.BindableService audited =
        tokens == null
            ? () -> io.grpc.ServerInterceptors.intercept(workflows, new AuditInterceptor())
            : () ->
                io.grpc.ServerInterceptors.intercept(
                    workflows, new AuthInterceptor(tokens), new AuditInterceptor());
    ClusterGrpcService cluster = new ClusterGrpcService(master);
    io.grpc.BindableService workers =
        tls.enabled()
            ? () ->
                io.grpc.ServerInterceptors.intercept(cluster, PeerGuard.workerAsItself("master"))
            : cluster;
    GrpcServer s =
        GrpcServer.forAddress("master", host, port)
            .credentials(tls.server(false))
            .maxInboundMessageSize(master.options().limits().grpcMessageBytes())
            .service(audited)
            .service(workers)
            .start();
    return new MasterServer(s);
  }

  public int port() {
    return server.port();
  }

  /** {@code host:port}, the address clients and workers dial. */
  public String address() {
    return server.address();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.close();
  }
}

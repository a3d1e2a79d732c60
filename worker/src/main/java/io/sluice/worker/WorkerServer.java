package io.sluice.worker;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.sluice.cluster.grpc.GrpcServer;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.cluster.tls.PeerGuard;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.time.Scheduler;
import java.io.UncheckedIOException;

/**
 * A worker's gRPC server: WorkerService (from the master) and PeerService (from peer workers) over
 * Netty. It holds no state of its own; stopping it and starting another on the same port with the
 * same engine is how a worker's network endpoint restarts.
 */
public final class WorkerServer implements AutoCloseable {
  private final GrpcServer server;
  private final PeerEventReceiver receiver;

  private WorkerServer(GrpcServer server, PeerEventReceiver receiver) {
    this.server = server;
    this.receiver = receiver;
  }

  /**
   * Binds {@code host:port} (port 0 = any free port) and starts serving.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static WorkerServer start(
      String host, int port, WorkerEngine engine, PeerLinks peers, Scheduler scheduler) {
    return start(host, port, engine, peers, scheduler, null);
  }

  /**
   * As {@link #start(String, int, WorkerEngine, PeerLinks, Scheduler)}, serving FaaStore's
   * PushData/FetchData/DropInstanceData from {@code data} (null: those calls are UNIMPLEMENTED).
   */
  public static WorkerServer start(
      String host,
      int port,
      WorkerEngine engine,
      PeerLinks peers,
      Scheduler scheduler,
      io.sluice.faastore.grpc.PeerDataHandler data) {
    return start(host, port, engine, peers, scheduler, data, new PartMoves());
  }

  /** As above, with what the worker knows of moved parts and its journal (durable clusters). */
  public static WorkerServer start(
      String host,
      int port,
      WorkerEngine engine,
      PeerLinks peers,
      Scheduler scheduler,
      io.sluice.faastore.grpc.PeerDataHandler data,
      PartMoves moves) {
    return start(host, port, engine, peers, scheduler, data, moves, null);
  }

  /** As above, serving GetLogs from {@code logs} (null: every instance has none). */
  public static WorkerServer start(
      String host,
      int port,
      WorkerEngine engine,
      PeerLinks peers,
      Scheduler scheduler,
      io.sluice.faastore.grpc.PeerDataHandler data,
      PartMoves moves,
      InvocationLogs logs) {
    return start(host, port, engine, peers, scheduler, data, moves, logs, TlsContexts.PLAINTEXT);
  }

  /**
   * As above, serving mutual TLS with {@code tls} when enabled: every caller needs a certificate of
   * the cluster's CA, WorkerService admits only the master and PeerService only workers.
   */
  public static WorkerServer start(
      String host,
      int port,
      WorkerEngine engine,
      PeerLinks peers,
      Scheduler scheduler,
      io.sluice.faastore.grpc.PeerDataHandler data,
      PartMoves moves,
      InvocationLogs logs,
      TlsContexts tls) {
    PeerEventReceiver receiver = new PeerEventReceiver(engine, data, moves);
    String owner = "worker " + engine.workerId();
    GrpcServer.Builder builder =
        GrpcServer.forAddress(owner, host, port).credentials(tls.server(true));
    if (data != null) {
      // Pushed values arrive in chunks: the HTTP/2 window bounds how much is in flight per round
      // trip (gRPC's default, 1 MB, caps a push at 1 MB per RTT); the same window as the data
      // channels' other side.
      builder
          .flowControlWindow(data.options().flowControlWindow())
          .maxInboundMessageSize(
              Math.max(
                  io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES,
                  data.options().maxInboundMessageSize()));
    }
    GrpcServer server =
        builder
            .service(
                guarded(
                    new WorkerCalls(engine, peers, scheduler, moves, logs),
                    tls,
                    PeerGuard.require(owner, Kind.MASTER)))
            .service(guarded(receiver, tls, PeerGuard.require(owner, Kind.WORKER)))
            // Peer events and instance starts only post to the engine's mailboxes: take them on
            // the I/O thread and save a thread hop per batch and per start. Other calls (which
            // may run a function or wait on the store) run on gRPC's default executor.
            .onIoThread(
                m ->
                    m.equals(PeerServiceGrpc.getEventStreamMethod())
                        || m.equals(io.sluice.proto.WorkerServiceGrpc.getStartInstanceMethod()))
            .start();
    return new WorkerServer(server, receiver);
  }

  private static BindableService guarded(
      BindableService service, TlsContexts tls, PeerGuard guard) {
    return tls.enabled() ? () -> ServerInterceptors.intercept(service, guard) : service;
  }

  /** The port bound (the actual one when started with port 0). */
  public int port() {
    return server.port();
  }

  /** Edge events received from peers and handed to the engine. */
  public long eventsReceived() {
    return receiver.received();
  }

  /** Events from peers that were malformed or refused by the engine (logged and acked). */
  public long eventsRejected() {
    return receiver.rejected();
  }

  /** Events from peers refused for now (workflow not deployed here) and left with the sender. */
  public long eventsDeferred() {
    return receiver.deferred();
  }

  /** Stops serving: open calls and streams are cut (peers reconnect and resend). */
  @Override
  public void close() {
    server.close();
  }
}

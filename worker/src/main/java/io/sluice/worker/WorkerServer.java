package io.sluice.worker;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.time.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A worker's gRPC server: WorkerService (from the master) and PeerService (from peer workers) over
 * Netty. It holds no state of its own; stopping it and starting another on the same port with the
 * same engine is how a worker's network endpoint restarts.
 */
public final class WorkerServer implements AutoCloseable {
  private static final Executor DIRECT = Runnable::run;
  private final Server server;
  private final PeerEventReceiver receiver;

  private WorkerServer(Server server, PeerEventReceiver receiver) {
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
    PeerEventReceiver receiver = new PeerEventReceiver(engine, data);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .withOption(ChannelOption.SO_REUSEADDR, true)
            // Peer events only post to the engine's mailboxes: take them on the I/O thread and
            // save a thread hop per batch. Other calls run on gRPC's default executor.
            .callExecutor(
                new ServerCallExecutorSupplier() {
                  @Override
                  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                    return call.getMethodDescriptor().equals(PeerServiceGrpc.getEventStreamMethod())
                        ? DIRECT
                        : null;
                  }
                })
            .addService(new WorkerCalls(engine, peers, scheduler))
            .addService(receiver)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException(
              "worker "
                  + engine.workerId()
                  + " cannot serve gRPC on "
                  + host
                  + ":"
                  + port
                  + ": "
                  + e.getMessage()
                  + "; is another process using the port?",
              e));
    }
    return new WorkerServer(server, receiver);
  }

  /** The port bound (the actual one when started with port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** Edge events received from peers and handed to the engine. */
  public long eventsReceived() {
    return receiver.received();
  }

  /** Events from peers that were malformed or refused by the engine (logged and acked). */
  public long eventsRejected() {
    return receiver.rejected();
  }

  /** Stops serving: open calls and streams are cut (peers reconnect and resend). */
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

package io.sluice.master.rpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.proto.WorkerServiceGrpc;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per worker address, shared by every call the master makes to that worker; each
 * dialled where {@code links} routes it (through an emulated link when the cluster has one).
 */
public final class WorkerClients implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AddressRouter links;
  private final ChannelCredentials credentials;

  public WorkerClients() {
    this(AddressRouter.DIRECT);
  }

  public WorkerClients(AddressRouter links) {
    this(links, TlsContexts.PLAINTEXT);
  }

  /** Channels with {@code tls}'s credentials: each worker must prove it is one (OU=worker). */
  public WorkerClients(AddressRouter links, TlsContexts tls) {
    this.links = links;
    this.credentials = tls.channel(CertificateAuthority.Kind.WORKER);
  }

  private ManagedChannel channel(WorkerInfo w) {
    return channels.computeIfAbsent(
        w.address(),
        a ->
            Grpc.newChannelBuilder(links.route(a), credentials)
                .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
                .build());
  }

  /**
   * Lets the channel to {@code w} reconnect at once when it is waiting out a reconnect backoff (the
   * worker was down and may be back, e.g. restarted under its id on the same address).
   */
  public void reconnectNow(WorkerInfo w) {
    ManagedChannel c = channels.get(w.address());
    if (c != null) {
      c.resetConnectBackoff();
    }
  }

  /** An asynchronous stub whose calls must answer within {@code deadline}. */
  public WorkerServiceGrpc.WorkerServiceFutureStub future(WorkerInfo w, Duration deadline) {
    return WorkerServiceGrpc.newFutureStub(channel(w))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An asynchronous stub without a deadline (the call's own timeout bounds it). */
  public WorkerServiceGrpc.WorkerServiceFutureStub future(WorkerInfo w) {
    return WorkerServiceGrpc.newFutureStub(channel(w));
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    channels.clear();
  }
}

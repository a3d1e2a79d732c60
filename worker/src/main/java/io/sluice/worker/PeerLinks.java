package io.sluice.worker;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.time.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This worker's streams to its peers: one long-lived bidirectional {@code EventStream} per peer,
 * opened on first use. {@link #enqueue} and {@link #flush} never block the engine thread; events to
 * a peer whose address is not known yet wait until {@link #addPeers} names it. Delivery is at least
 * once: an event is kept until acked and resent, with the same id, on the next stream if its stream
 * breaks. Each stream's channel is dialled where the {@link AddressRouter} routes the peer's
 * address.
 */
public final class PeerLinks implements AutoCloseable {
  private final Map<String, String> addresses = new java.util.concurrent.ConcurrentHashMap<>();
  private final String localId;
  private final PeerLinkOptions options;
  private final Scheduler scheduler;
  private final ExecutorService sender;
  private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
  private final AddressRouter router;
  private final ChannelCredentials credentials;

  /** The links this thread queued events on since its last {@link #flush}. */
  private final ThreadLocal<java.util.List<PeerLink>> pending =
      ThreadLocal.withInitial(java.util.ArrayList::new);

  public PeerLinks(String localId, PeerLinkOptions options, Scheduler scheduler) {
    this(localId, options, scheduler, AddressRouter.DIRECT);
  }

  public PeerLinks(
      String localId, PeerLinkOptions options, Scheduler scheduler, AddressRouter router) {
    this(localId, options, scheduler, router, InsecureChannelCredentials.create());
  }

  /** As above, each channel with {@code credentials} (TLS: the peer must be a worker). */
  public PeerLinks(
      String localId,
      PeerLinkOptions options,
      Scheduler scheduler,
      AddressRouter router,
      ChannelCredentials credentials) {
    this.credentials = credentials;
    this.localId = localId;
    this.router = router;
    this.options = options;
    this.scheduler = scheduler;
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-peer-send-" + localId);
              t.setDaemon(true);
              return t;
            });
  }

  public String localId() {
    return localId;
  }

  /** Learns (or updates) where peers listen: worker id -> host:port. This worker is skipped. */
  public void addPeers(Map<String, String> addresses) {
    addresses.forEach(
        (id, address) -> {
          this.addresses.put(id, address);
          if (!id.equals(localId)) {
            link(id).address(address);
          }
        });
  }

  /** Where a peer listens, as last learned ({@code host:port}). */
  public java.util.Optional<String> addressOf(String workerId) {
    return java.util.Optional.ofNullable(addresses.get(workerId));
  }

  /**
   * Queues an edge event for a peer without sending it yet: {@link #flush} on this thread sends
   * every event queued since, one batch per peer.
   */
  public void enqueue(String workerId, EdgeEvent event) {
    if (workerId.equals(localId)) {
      throw new IllegalArgumentException(
          "edge event " + event.id() + " is for this worker itself; deliver it locally");
    }
    PeerLink l = link(workerId);
    l.enqueue(event);
    java.util.List<PeerLink> p = pending.get();
    if (!p.contains(l)) {
      p.add(l);
    }
  }

  /** Sends what {@link #enqueue} queued on this thread. */
  public void flush() {
    java.util.List<PeerLink> p = pending.get();
    if (p.isEmpty()) {
      return;
    }
    for (PeerLink l : p) {
      l.flush();
    }
    p.clear();
  }

  /**
   * Moves an instance's events waiting for {@code fromWorker} (queued or unacked) to {@code
   * toWorker}'s link and sends them; answers them instead when {@code toWorker} is this worker (the
   * caller delivers them locally).
   */
  public List<EdgeEvent> move(String instanceId, String fromWorker, String toWorker) {
    PeerLink from = links.get(fromWorker);
    List<EdgeEvent> moved = from == null ? List.of() : from.take(instanceId);
    if (moved.isEmpty() || toWorker.equals(localId)) {
      return moved;
    }
    PeerLink to = link(toWorker);
    moved.forEach(to::enqueue);
    to.flush();
    return moved;
  }

  /** Counters summed over every peer. */
  public PeerCounters counters() {
    PeerCounters sum = new PeerCounters(0, 0, 0, 0, 0);
    for (PeerLink l : links.values()) {
      sum = sum.plus(l.counters());
    }
    return sum;
  }

  /** Counters of the stream to one peer. */
  public PeerCounters counters(String workerId) {
    PeerLink l = links.get(workerId);
    return l == null ? new PeerCounters(0, 0, 0, 0, 0) : l.counters();
  }

  private PeerLink link(String workerId) {
    return links.computeIfAbsent(
        workerId, id -> new PeerLink(localId, id, options, scheduler, sender, router, credentials));
  }

  @Override
  public void close() {
    links.values().forEach(PeerLink::close);
    sender.shutdownNow();
    try {
      sender.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

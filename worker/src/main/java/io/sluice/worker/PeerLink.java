package io.sluice.worker;

import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream from this worker to one peer. Events wait in a queue until the sender drains them into
 * batches (as many as gRPC flow control takes); each stays in {@code unacked} until the peer acks
 * its id. When the stream ends, a new one is opened after a backoff and every unacked event is sent
 * again first, in the order first sent, with the same id.
 */
final class PeerLink {
  /** Refusals of one event (workflow not deployed on the peer) before it is given up. */
  static final int MAX_DEFERRALS = 60;

  /** Soft byte cap of one batch. */
  static final long BATCH_BYTES = 4L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  private final String localId;
  private final String peerId;
  private final PeerLinkOptions options;
  private final Scheduler scheduler;
  private final Executor sender;
  private final AddressRouter router;
  private final Queue<EdgeEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  private final ReentrantLock lock = new ReentrantLock();
  // Everything below is guarded by lock.
  private final Map<String, CloudEvent> unacked = new LinkedHashMap<>();
  private final ArrayDeque<CloudEvent> resend = new ArrayDeque<>();

  /** How often the peer refused each event for now (retry_ids), by id. */
  private final Map<String, Integer> deferrals = new java.util.HashMap<>();

  private String address;
  private ManagedChannel channel;
  private ClientCallStreamObserver<EventBatch> stream;
  private Object streamToken;
  private long sequence;
  private final io.grpc.ChannelCredentials credentials;
  private Duration backoff;
  private boolean reconnectPending;
  private boolean closed;
  private boolean healthy = true;
  private long sent;
  private long acked;
  private long resent;
  private long opened;

  PeerLink(
      String localId,
      String peerId,
      PeerLinkOptions options,
      Scheduler scheduler,
      Executor sender,
      AddressRouter router,
      io.grpc.ChannelCredentials credentials) {
    this.credentials = credentials;
    this.localId = localId;
    this.router = router;
    this.peerId = peerId;
    this.options = options;
    this.scheduler = scheduler;
    this.sender = sender;
    this.backoff = options.initialBackoff();
  }

  /** Queues an event without sending it: {@link #flush} sends what is queued. */
  void enqueue(EdgeEvent e) {
    queue.add(e);
  }

  /**
   * Sends what is queued: on the caller's thread when no one else is draining (no thread hop), else
   * the drain already running or scheduled takes it.
   */
  void flush() {
    if (!drainScheduled.get() && lock.tryLock()) {
      try {
        drainLocked();
      } finally {
        lock.unlock();
      }
    } else {
      scheduleDrain();
    }
  }

  /** Sets (or changes) the peer's address; a change opens a new stream there. */
  void address(String hostPort) {
    lock.lock();
    try {
      if (closed || hostPort.equals(address)) {
        return;
      }
      if (address != null) {
        LOG.info("peer {} moved from {} to {}", peerId, address, hostPort);
      }
      dropStream();
      if (channel != null) {
        channel.shutdownNow();
        channel = null;
      }
      address = hostPort;
      scheduleDrain();
    } finally {
      lock.unlock();
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        sender.execute(
            () -> {
              drainScheduled.set(false);
              drain();
            });
      } catch (RejectedExecutionException e) { // closed
        drainScheduled.set(false);
      }
    }
  }

  /**
   * Takes every event of an instance out of this link — queued, or sent and not acked — in send
   * order: its target's part moved to another worker, which gets them instead (same ids).
   */
  List<EdgeEvent> take(String instanceId) {
    List<EdgeEvent> out = new ArrayList<>();
    lock.lock();
    try {
      WireMapper.JsonMemo memo = new WireMapper.JsonMemo();
      var it = unacked.values().iterator();
      while (it.hasNext()) {
        CloudEvent ce = it.next();
        EdgeEvent e = WireMapper.edgeEvent(ce, memo);
        if (e.instanceId().equals(instanceId)) {
          it.remove();
          resend.remove(ce);
          deferrals.remove(ce.getId());
          out.add(e);
        }
      }
      queue.removeIf(
          e -> {
            if (e.instanceId().equals(instanceId)) {
              out.add(e);
              return true;
            }
            return false;
          });
    } finally {
      lock.unlock();
    }
    return out;
  }

  private void drain() {
    lock.lock();
    try {
      drainLocked();
    } finally {
      lock.unlock();
    }
  }

  private void drainLocked() {
    if (closed) {
      return;
    }
    if (stream == null) {
      if (address == null || reconnectPending || (unacked.isEmpty() && queue.isEmpty())) {
        return;
      }
      connect();
      if (stream == null) {
        return; // the new stream failed at once; its end scheduled the next attempt
      }
    }
    while (stream.isReady()) {
      List<CloudEvent> batch = new ArrayList<>();
      long bytes = 0;
      // A batch ends at maxBatch events or BATCH_BYTES (one large inline value goes alone), so a
      // batch never exceeds the receiver's message limit.
      while (batch.size() < options.maxBatch() && bytes < BATCH_BYTES && !resend.isEmpty()) {
        CloudEvent ce = resend.poll();
        bytes += ce.getSerializedSize();
        batch.add(ce);
        resent++;
      }
      EdgeEvent e;
      com.fasterxml.jackson.databind.JsonNode lastPayload = null;
      String lastText = null;
      while (batch.size() < options.maxBatch()
          && bytes < BATCH_BYTES
          && (e = queue.poll()) != null) {
        if (!e.skipped() && e.payload() != lastPayload) {
          lastPayload = e.payload(); // a fan-out's edges share their source's result object
          lastText = WireMapper.jsonText(lastPayload);
        }
        CloudEvent ce =
            PeerTraces.tag(
                WireMapper.cloudEvent(e, localId, e.skipped() ? null : lastText), e.instanceId());
        unacked.put(ce.getId(), ce);
        bytes += ce.getSerializedSize();
        batch.add(ce);
        sent++;
      }
      if (batch.isEmpty()) {
        return;
      }
      stream.onNext(
          EventBatch.newBuilder()
              .setSenderWorkerId(localId)
              .setSequence(++sequence)
              .addAllEvents(batch)
              .build());
    }
  }

  private void connect() {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forTarget(router.route(address), credentials)
              .directExecutor()
              .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
              .build();
    }
    Object token = new Object();
    streamToken = token;
    sequence = 0;
    resend.clear();
    resend.addAll(unacked.values());
    opened++;
    ClientCallStreamObserver<EventBatch> started =
        (ClientCallStreamObserver<EventBatch>)
            PeerServiceGrpc.newStub(channel)
                .eventStream(
                    new ClientResponseObserver<EventBatch, EventAck>() {
                      @Override
                      public void beforeStart(ClientCallStreamObserver<EventBatch> s) {
                        s.setOnReadyHandler(PeerLink.this::scheduleDrain);
                      }

                      @Override
                      public void onNext(EventAck ack) {
                        acked(token, ack);
                      }

                      @Override
                      public void onError(Throwable t) {
                        ended(token, t);
                      }

                      @Override
                      public void onCompleted() {
                        ended(token, null);
                      }
                    });
    // On this direct-executor channel a call that fails at once (the channel waits out its
    // reconnect backoff after the peer died) has already ended inside eventStream(): keeping it
    // would leave a dead stream that is never ready and never replaced, and every later event for
    // the peer would stay queued for good.
    if (streamToken == token) {
      stream = started;
    }
  }

  private void acked(Object token, EventAck ack) {
    lock.lock();
    try {
      for (String id : ack.getEventIdsList()) {
        if (unacked.remove(id) != null) {
          acked++;
          if (!deferrals.isEmpty()) {
            deferrals.remove(id);
          }
        }
      }
      for (String id : ack.getRetryIdsList()) {
        retryLater(id);
      }
      if (token == streamToken && !healthy) {
        LOG.info("peer stream {} -> {} ({}) is back", localId, peerId, address);
        healthy = true;
        backoff = options.initialBackoff();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The peer refused an event for now (its workflow is not deployed there yet): it stays unacked
   * and is sent again after a backoff that doubles up to {@code maxBackoff}, or goes to the part's
   * new holder if the part moves ({@link #take}). After {@value #MAX_DEFERRALS} refusals it is
   * given up, loudly. Called with the lock held.
   */
  private void retryLater(String id) {
    CloudEvent ce = unacked.get(id);
    if (ce == null) {
      return; // taken for another worker meanwhile
    }
    int n = deferrals.merge(id, 1, Integer::sum);
    if (n > MAX_DEFERRALS) {
      unacked.remove(id);
      deferrals.remove(id);
      LOG.error(
          "LOST: peer {} refused edge event {} {} times (its workflow is not deployed there);"
              + " given up",
          peerId,
          id,
          MAX_DEFERRALS);
      return;
    }
    Duration wait = options.initialBackoff().multipliedBy(1L << Math.min(n, 20));
    if (wait.compareTo(options.maxBackoff()) > 0) {
      wait = options.maxBackoff();
    }
    scheduler.schedule(
        wait,
        () -> {
          lock.lock();
          try {
            CloudEvent still = unacked.get(id);
            if (still != null && !resend.contains(still)) {
              resend.add(still);
            }
          } finally {
            lock.unlock();
          }
          scheduleDrain();
        });
  }

  private void ended(Object token, Throwable t) {
    lock.lock();
    try {
      if (closed || token != streamToken) {
        return;
      }
      stream = null;
      streamToken = null;
      String why = t == null ? "the peer ended it" : String.valueOf(t.getMessage());
      if (healthy) {
        LOG.warn(
            "peer stream {} -> {} ({}) broke ({}); {} events unacked, reconnecting",
            localId,
            peerId,
            address,
            why,
            unacked.size());
      } else {
        LOG.debug("peer stream {} -> {} ({}) still down: {}", localId, peerId, address, why);
      }
      healthy = false;
      reconnectPending = true;
      Duration wait = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0
              ? options.maxBackoff()
              : backoff.multipliedBy(2);
      scheduler.schedule(
          wait,
          () -> {
            lock.lock();
            try {
              reconnectPending = false;
            } finally {
              lock.unlock();
            }
            scheduleDrain();
          });
    } finally {
      lock.unlock();
    }
  }

  private void dropStream() {
    if (stream != null) {
      streamToken = null;
      stream.cancel("peer link closed or moved", null);
      stream = null;
    }
  }

  PeerCounters counters() {
    lock.lock();
    try {
      return new PeerCounters(
          sent, acked, resent, unacked.size() + queue.size(), Math.max(0, opened - 1));
    } finally {
      lock.unlock();
    }
  }

  void close() {
    ManagedChannel ch;
    lock.lock();
    try {
      closed = true;
      if (stream != null) {
        streamToken = null;
        stream.onCompleted();
        stream = null;
      }
      if (!unacked.isEmpty() || !queue.isEmpty()) {
        LOG.warn(
            "closing peer link {} -> {} with {} events not acknowledged",
            localId,
            peerId,
            unacked.size() + queue.size());
      }
      ch = channel;
      channel = null;
    } finally {
      lock.unlock();
    }
    if (ch != null) {
      ch.shutdown();
      try {
        if (!ch.awaitTermination(1, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ch.shutdownNow();
      }
    }
  }
}

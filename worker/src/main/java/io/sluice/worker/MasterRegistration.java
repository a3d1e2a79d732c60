package io.sluice.worker;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.HeartbeatResponse;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.RegisterWorkerResponse;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's membership at the master: registers (retrying until the master answers or a timeout
 * passes), then heartbeats its free slots and queue length at the interval the master asked for,
 * and registers again when the master says it does not know this worker, declared it dead, or knows
 * another incarnation under its id. Each instance of this class is one incarnation of the worker
 * (its start time in ms × 1000 plus a random 0..999, sent with the registration and every
 * heartbeat): a restarted worker replaces its predecessor at the master, and a predecessor that
 * lives on is refused and stops heartbeating. A heartbeat may take as long as the master's {@code
 * maxSilence} to arrive (a slow heartbeat is not a missed one), one at a time, and the next leaves
 * one interval after the previous one left. Every worker joins through this class, whether it is a
 * process ({@link WorkerProcess}) or one of the in-JVM workers of {@code sluice run --workers N}.
 */
public final class MasterRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterRegistration.class);
  private static final Duration RETRY = Duration.ofMillis(250);

  private final RegisterWorkerRequest registration;
  private final String masterAddress;
  private final ClusterServiceGrpc.ClusterServiceBlockingStub blocking;
  private final ClusterServiceGrpc.ClusterServiceStub async;
  private final Channel master;
  private final WorkerEngine engine;
  private final WorkerNode node;
  private final int slots;
  private final long memoryBytes;
  private final Scheduler scheduler;
  private final Duration fallbackInterval;
  private volatile Duration interval;
  private volatile Duration beatDeadline;
  private volatile boolean registered;
  private volatile boolean closed;
  private volatile boolean superseded;
  private final java.util.concurrent.atomic.AtomicBoolean reregistering =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Scheduler.Cancellable next;

  /**
   * The membership of {@code node} at the master behind {@code master}: {@code slots} functions at
   * once, {@code memoryBytes} offered to FaaStore, the runtime kinds it serves. Nothing is sent
   * until {@link #register}.
   */
  public static MasterRegistration of(
      WorkerNode node,
      int slots,
      long memoryBytes,
      java.util.Collection<String> runtimeKinds,
      Channel master,
      String masterAddress,
      Scheduler scheduler,
      Duration fallbackInterval) {
    return new MasterRegistration(
        RegisterWorkerRequest.newBuilder()
            .setIncarnation(newIncarnation(scheduler))
            .setWorkerId(node.workerId())
            .setAddress(node.address())
            .setSlots(slots)
            .setMemoryBytes(memoryBytes)
            .addAllRuntimes(new java.util.TreeSet<>(runtimeKinds))
            .build(),
        master,
        masterAddress,
        node,
        scheduler,
        fallbackInterval);
  }

  private MasterRegistration(
      RegisterWorkerRequest registration,
      Channel master,
      String masterAddress,
      WorkerNode node,
      Scheduler scheduler,
      Duration fallbackInterval) {
    this.registration = registration;
    this.masterAddress = masterAddress;
    this.blocking = ClusterServiceGrpc.newBlockingStub(master);
    this.async = ClusterServiceGrpc.newStub(master);
    this.master = master;
    this.node = node;
    this.engine = node.engine();
    this.slots = registration.getSlots();
    this.memoryBytes = registration.getMemoryBytes();
    this.scheduler = scheduler;
    this.fallbackInterval = fallbackInterval;
    this.interval = fallbackInterval;
    this.beatDeadline = fallbackInterval.multipliedBy(2);
  }

  /**
   * A new incarnation number: later runs get higher numbers (start time in ms × 1000), two runs
   * started in the same millisecond most likely different ones (plus a random 0..999).
   */
  static long newIncarnation(Scheduler scheduler) {
    return scheduler.currentTimeMillis() * 1000
        + java.util.concurrent.ThreadLocalRandom.current().nextInt(1000);
  }

  /** This worker's incarnation, as it registers with it. */
  public long incarnation() {
    return registration.getIncarnation();
  }

  public boolean registered() {
    return registered;
  }

  /** Whether a later incarnation of this worker took over its id at the master. */
  public boolean superseded() {
    return superseded;
  }

  /**
   * Registers, retrying until the master answers; then starts heartbeating.
   *
   * @throws IllegalStateException naming the master's address when {@code timeout} passes first
   */
  public void register(Duration timeout) {
    long deadline = scheduler.nanoTime() + timeout.toNanos();
    StatusRuntimeException last;
    while (true) {
      try {
        accept(blocking.withDeadlineAfter(2, TimeUnit.SECONDS).register(registration));
        LOG.info(
            "worker {} (incarnation {}) registered with the master at {}; heartbeat every {} ms",
            registration.getWorkerId(),
            registration.getIncarnation(),
            masterAddress,
            interval.toMillis());
        scheduleBeat();
        return;
      } catch (StatusRuntimeException e) {
        last = e;
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
          // its certificate is refused (security.tls): trying again cannot help
          throw new IllegalStateException(
              "worker "
                  + registration.getWorkerId()
                  + ": the master at "
                  + masterAddress
                  + " refused its registration: "
                  + e.getStatus().getDescription(),
              e);
        }
      }
      if (closed || scheduler.nanoTime() >= deadline) {
        throw new IllegalStateException(
            "worker "
                + registration.getWorkerId()
                + " could not register with the master at "
                + masterAddress
                + " within "
                + timeout.toSeconds()
                + " s (last error: "
                + last.getStatus()
                + "); is the master running, and are master.host and master.grpcPort right?");
      }
      pause(RETRY);
    }
  }

  private void pause(Duration d) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.schedule(d, () -> done.complete(null));
    done.join();
  }

  private void accept(RegisterWorkerResponse r) {
    Duration d = WireMapper.duration(r.getHeartbeatInterval());
    interval = d.isZero() || d.isNegative() ? fallbackInterval : d;
    // A heartbeat may take as long as the master waits before it declares this worker dead (an
    // older master sends no max_silence: interval × missed heartbeats allowed).
    Duration max = r.hasMaxSilence() ? WireMapper.duration(r.getMaxSilence()) : Duration.ZERO;
    Duration budget = interval.multipliedBy(Math.max(2, r.getMissedHeartbeatsAllowed()));
    beatDeadline = max.compareTo(budget) > 0 ? max : budget;
    registered = true;
  }

  private void scheduleBeat() {
    scheduleBeat(interval);
  }

  private void scheduleBeat(Duration delay) {
    if (!closed) {
      next = scheduler.schedule(delay, this::beat);
    }
  }

  /** The next heartbeat leaves one interval after {@code sentNanos}, at once when that passed. */
  private void scheduleAfter(long sentNanos) {
    long wait = interval.toNanos() - (scheduler.nanoTime() - sentNanos);
    scheduleBeat(Duration.ofNanos(Math.max(0, wait)));
  }

  private void beat() {
    if (closed) {
      return;
    }
    long sent = scheduler.nanoTime();
    int active = engine.activeInvocations();
    var containers = node.containerMemory();
    long budget = node.storeBudgetBytes();
    HeartbeatRequest hb =
        HeartbeatRequest.newBuilder()
            .setWorkerId(registration.getWorkerId())
            .setIncarnation(registration.getIncarnation())
            .setFreeSlots(Math.max(0, slots - active))
            .setQueueLength(Math.max(0, active - slots))
            // the placement's FaaStore room: the budget when it follows the containers
            .setFreeMemoryBytes(node.followsContainers() ? budget : memoryBytes)
            .setContainersMemoryGrantedBytes(containers.grantedBytes())
            .setContainersMemoryUsedBytes(containers.usedBytes())
            .setStoreBudgetBytes(budget)
            .build();
    async
        .withDeadlineAfter(beatDeadline.toMillis(), TimeUnit.MILLISECONDS)
        .heartbeat(
            hb,
            new StreamObserver<HeartbeatResponse>() {
              @Override
              public void onNext(HeartbeatResponse r) {
                if (r.getReregister()) {
                  LOG.warn(
                      "the master asks worker {} (incarnation {}) to register again: {}",
                      registration.getWorkerId(),
                      registration.getIncarnation(),
                      r.getReason().isEmpty() ? "it does not know this worker" : r.getReason());
                  reregister();
                }
              }

              @Override
              public void onError(Throwable t) {
                LOG.warn(
                    "worker {} heartbeat to the master at {} failed after {} ms: {}",
                    registration.getWorkerId(),
                    masterAddress,
                    (scheduler.nanoTime() - sent) / 1_000_000,
                    t.getMessage());
                reconnectAtOnce(t);
                scheduleAfter(sent);
              }

              @Override
              public void onCompleted() {
                scheduleAfter(sent);
              }
            });
  }

  /**
   * After an UNAVAILABLE heartbeat, lets the next one reconnect at once: otherwise gRPC waits out
   * its reconnect backoff (growing to minutes) while every call fails at once, so a worker would
   * register with a restarted master seconds after it serves — past the grace in which the master
   * expects the workers of the instances it took up again.
   */
  private void reconnectAtOnce(Throwable t) {
    if (master instanceof io.grpc.ManagedChannel m
        && Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE) {
      m.resetConnectBackoff();
    }
  }

  private void reregister() {
    if (!reregistering.compareAndSet(false, true)) {
      return; // one registration at a time: heartbeats sent meanwhile are answered the same way
    }
    async
        .withDeadlineAfter(beatDeadline.toMillis(), TimeUnit.MILLISECONDS)
        .register(
            registration,
            new StreamObserver<RegisterWorkerResponse>() {
              @Override
              public void onNext(RegisterWorkerResponse r) {
                reregistering.set(false);
                accept(r);
              }

              @Override
              public void onError(Throwable t) {
                reregistering.set(false);
                if (t instanceof StatusRuntimeException e
                    && e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                  // a later incarnation of this worker took over its id: this one steps aside
                  LOG.error(
                      "worker {} (incarnation {}) stops heartbeating: {}",
                      registration.getWorkerId(),
                      registration.getIncarnation(),
                      e.getStatus().getDescription());
                  superseded = true;
                  registered = false;
                  close();
                  return;
                }
                LOG.warn(
                    "worker {} could not register again: {}",
                    registration.getWorkerId(),
                    t.getMessage());
              }

              @Override
              public void onCompleted() {}
            });
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }
}

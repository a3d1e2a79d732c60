package io.sluice.worker;

import io.grpc.Channel;
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
 * and registers again when the master says it does not know this worker. Every worker joins through
 * this class, whether it is a process ({@link WorkerProcess}) or one of the in-JVM workers of
 * {@code sluice run --workers N}.
 */
public final class MasterRegistration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterRegistration.class);
  private static final Duration RETRY = Duration.ofMillis(250);

  private final RegisterWorkerRequest registration;
  private final String masterAddress;
  private final ClusterServiceGrpc.ClusterServiceBlockingStub blocking;
  private final ClusterServiceGrpc.ClusterServiceStub async;
  private final WorkerEngine engine;
  private final WorkerNode node;
  private final int slots;
  private final long memoryBytes;
  private final Scheduler scheduler;
  private final Duration fallbackInterval;
  private volatile Duration interval;
  private volatile boolean registered;
  private volatile boolean closed;
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
    this.node = node;
    this.engine = node.engine();
    this.slots = registration.getSlots();
    this.memoryBytes = registration.getMemoryBytes();
    this.scheduler = scheduler;
    this.fallbackInterval = fallbackInterval;
    this.interval = fallbackInterval;
  }

  public boolean registered() {
    return registered;
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
            "worker {} registered with the master at {}; heartbeat every {} ms",
            registration.getWorkerId(),
            masterAddress,
            interval.toMillis());
        scheduleBeat();
        return;
      } catch (StatusRuntimeException e) {
        last = e;
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
    registered = true;
  }

  private void scheduleBeat() {
    if (!closed) {
      next = scheduler.schedule(interval, this::beat);
    }
  }

  private void beat() {
    int active = engine.activeInvocations();
    var containers = node.containerMemory();
    long budget = node.storeBudgetBytes();
    HeartbeatRequest hb =
        HeartbeatRequest.newBuilder()
            .setWorkerId(registration.getWorkerId())
            .setFreeSlots(Math.max(0, slots - active))
            .setQueueLength(Math.max(0, active - slots))
            // the placement's FaaStore room: the budget when it follows the containers
            .setFreeMemoryBytes(node.followsContainers() ? budget : memoryBytes)
            .setContainersMemoryGrantedBytes(containers.grantedBytes())
            .setContainersMemoryUsedBytes(containers.usedBytes())
            .setStoreBudgetBytes(budget)
            .build();
    async
        .withDeadlineAfter(interval.toMillis() * 2, TimeUnit.MILLISECONDS)
        .heartbeat(
            hb,
            new StreamObserver<HeartbeatResponse>() {
              @Override
              public void onNext(HeartbeatResponse r) {
                if (r.getReregister()) {
                  LOG.info("master asks worker {} to register again", registration.getWorkerId());
                  reregister();
                }
              }

              @Override
              public void onError(Throwable t) {
                LOG.warn(
                    "worker {} heartbeat to the master at {} failed: {}",
                    registration.getWorkerId(),
                    masterAddress,
                    t.getMessage());
                scheduleBeat();
              }

              @Override
              public void onCompleted() {
                scheduleBeat();
              }
            });
  }

  private void reregister() {
    async
        .withDeadlineAfter(2, TimeUnit.SECONDS)
        .register(
            registration,
            new StreamObserver<RegisterWorkerResponse>() {
              @Override
              public void onNext(RegisterWorkerResponse r) {
                accept(r);
              }

              @Override
              public void onError(Throwable t) {
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

package io.sluice.worker;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.engine.NodeSteps;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.NodeProgress;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.proto.ReportProgressResponse;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this worker's node steps to the master ({@code ClusterService.ReportProgress}) in batches,
 * so that the master's node table, history and watch streams follow instances as they run.
 *
 * <p>The engine's threads only enqueue: a lock-free queue bounded at {@code buffer} steps (queued
 * and sent but not yet acknowledged); a step that finds it full is dropped and counted, and the
 * count goes to the master with the next report. Every {@code interval}, and as soon as {@link
 * #BATCH} steps are queued, the scheduler's thread takes up to {@link #MAX_BATCH} of them into one
 * call; one call is under way at a time. A call that fails (the master is away, restarting, slow)
 * keeps its batch, which is sent again first; meanwhile new steps fill what is left of the buffer.
 */
public final class ProgressReporter implements NodeSteps, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  /** Queued steps that make a report go out before the interval ends. */
  public static final int BATCH = 512;

  /** The most steps one report carries. */
  public static final int MAX_BATCH = 2_048;

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private record Queued(String instanceId, String nodeId, Step step) {}

  private final String workerId;
  private final ClusterServiceGrpc.ClusterServiceStub master;
  private final Scheduler scheduler;
  private final Duration interval;
  private final int capacity;
  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();

  /** Steps queued or in the batch under way (the buffer's fill). */
  private final AtomicInteger held = new AtomicInteger();

  /** Steps dropped since the last report the master took. */
  private final LongAdder droppedSinceReport = new LongAdder();

  private final AtomicLong droppedTotal = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicBoolean sending = new AtomicBoolean();
  private volatile boolean closed;

  /** The batch of a failed call, sent again first (touched only by the sender). */
  private List<NodeProgress> unsent;

  private long unsentDropped;

  private ProgressReporter(
      String workerId, Channel master, Scheduler scheduler, Duration interval, int capacity) {
    this.workerId = workerId;
    this.master = ClusterServiceGrpc.newStub(master);
    this.scheduler = scheduler;
    this.interval = interval;
    this.capacity = capacity;
  }

  /**
   * A reporter that sends to {@code master} as {@code config} says, started; or {@link
   * NodeSteps#NONE} when progress is off.
   */
  public static NodeSteps start(
      String workerId, Channel master, Scheduler scheduler, ProgressConfig config) {
    if (!config.enabled()) {
      return NodeSteps.NONE;
    }
    ProgressReporter r =
        new ProgressReporter(workerId, master, scheduler, config.interval(), config.buffer());
    r.tick();
    return r;
  }

  /** A reporter that never sends by itself: {@link #flush()} sends (benchmarks, tests). */
  static ProgressReporter manual(String workerId, Channel master, Scheduler scheduler, int buffer) {
    return new ProgressReporter(workerId, master, scheduler, null, buffer);
  }

  @Override
  public void step(String instanceId, String nodeId, Step step) {
    int n = held.incrementAndGet();
    if (n > capacity) {
      held.decrementAndGet();
      droppedSinceReport.increment();
      droppedTotal.incrementAndGet();
      return;
    }
    queue.offer(new Queued(instanceId, nodeId, step));
    if (n == BATCH && interval != null && !closed) {
      scheduler.schedule(Duration.ZERO, this::flush);
    }
  }

  /**
   * Takes every step still queued and the count dropped since the last report, for a part's end to
   * carry them to the master (its history is then complete when the instance ends); the interval's
   * reports send the rest as before.
   */
  public InstanceFinishedRequest.Builder drainInto(InstanceFinishedRequest.Builder req) {
    int n = 0;
    Queued q;
    while (n < MAX_BATCH && (q = queue.poll()) != null) {
      req.addSteps(toProto(q));
      n++;
    }
    held.addAndGet(-n);
    sent.addAndGet(n);
    return req.setStepsDropped(droppedSinceReport.sumThenReset());
  }

  private void tick() {
    if (closed) {
      return;
    }
    flush();
    scheduler.schedule(interval, this::tick);
  }

  /** Sends what is held, unless a report is under way. */
  void flush() {
    if (!sending.compareAndSet(false, true)) {
      return;
    }
    List<NodeProgress> batch;
    long dropped;
    if (unsent != null) {
      batch = unsent;
      dropped = unsentDropped + droppedSinceReport.sumThenReset();
    } else {
      batch = new ArrayList<>(Math.min(MAX_BATCH, Math.max(16, held.get())));
      Queued q;
      while (batch.size() < MAX_BATCH && (q = queue.poll()) != null) {
        batch.add(toProto(q));
      }
      dropped = droppedSinceReport.sumThenReset();
    }
    if (batch.isEmpty() && dropped == 0) {
      sending.set(false);
      return;
    }
    ReportProgressRequest req =
        ReportProgressRequest.newBuilder()
            .setWorkerId(workerId)
            .addAllSteps(batch)
            .setDropped(dropped)
            .build();
    try {
      master
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .reportProgress(req, new Reply(batch, dropped));
    } catch (RuntimeException e) { // the channel was shut down
      new Reply(batch, dropped).onError(e);
    }
  }

  private final class Reply implements StreamObserver<ReportProgressResponse> {
    private final List<NodeProgress> batch;
    private final long dropped;

    Reply(List<NodeProgress> batch, long dropped) {
      this.batch = batch;
      this.dropped = dropped;
    }

    @Override
    public void onNext(ReportProgressResponse value) {}

    @Override
    public void onError(Throwable t) {
      unsent = batch;
      unsentDropped = dropped;
      // free the sender before counting: whoever sees the count may send at once
      sending.set(false);
      if (failedCalls.incrementAndGet() % 50 == 1) {
        LOG.warn(
            "worker {}: progress report of {} steps to the master failed ({} so far), kept for"
                + " the next: {}",
            workerId,
            batch.size(),
            failedCalls.get(),
            t.toString());
      }
    }

    @Override
    public void onCompleted() {
      unsent = null;
      sending.set(false); // before the counts: whoever sees them may send at once
      sent.addAndGet(batch.size());
      held.addAndGet(-batch.size());
      if (queue.size() >= BATCH && !closed && interval != null) {
        scheduler.schedule(Duration.ZERO, ProgressReporter.this::flush);
      }
    }
  }

  private NodeProgress toProto(Queued q) {
    Step s = q.step();
    NodeProgress.Builder b =
        NodeProgress.newBuilder()
            .setInstanceId(q.instanceId())
            .setNodeId(q.nodeId())
            .setState(s.kind().wire())
            .setAttempt(s.attempt())
            .setTimeMillis(s.timeMillis())
            .setDurationNanos(s.durationNanos())
            .setItem(s.item())
            .setItemsTotal(s.itemsTotal());
    if (s.errorType() != null || s.errorMessage() != null) {
      b.setError(
          ErrorInfo.newBuilder()
              .setType(s.errorType() == null ? "" : s.errorType())
              .setMessage(s.errorMessage() == null ? "" : s.errorMessage())
              .setNodeId(q.nodeId())
              .setWorkerId(workerId));
    }
    return b.build();
  }

  /** Steps dropped because the buffer was full, since this reporter started. */
  public long dropped() {
    return droppedTotal.get();
  }

  /** Steps the master took. */
  public long sent() {
    return sent.get();
  }

  /** Steps queued or awaiting the master's answer. */
  public int held() {
    return held.get();
  }

  /** Reports that failed (each is sent again). */
  public long failedCalls() {
    return failedCalls.get();
  }

  /** Stops the periodic reports after sending once more what is held (not waiting for it). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      flush();
    }
  }
}

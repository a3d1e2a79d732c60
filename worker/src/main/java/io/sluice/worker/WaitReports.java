package io.sluice.worker;

import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.ReportEventWaitsRequest;
import io.sluice.proto.ReportEventWaitsResponse;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this worker's event-wait starts and ends to the master (ClusterService.ReportEventWaits),
 * in the order they happened: one call in flight at a time, each carrying what queued meanwhile (at
 * most {@value #MAX_BATCH}), so a wait's end never overtakes its start. Never blocks the engine: it
 * queues and returns. An unreachable master is retried with backoff ({@value #ATTEMPTS} attempts
 * per batch); a batch given up is logged (its waits then miss events that name no instance until
 * they end; events addressed to the instance still reach them).
 */
final class WaitReports {
  private static final Logger LOG = LoggerFactory.getLogger(WaitReports.class);
  static final int MAX_BATCH = 512;
  static final int ATTEMPTS = 6;
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final long CALL_TIMEOUT_SECONDS = 10;

  private final String workerId;
  private final ClusterServiceGrpc.ClusterServiceStub master;
  private final Scheduler scheduler;
  private final ConcurrentLinkedQueue<EventWaitChange> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();

  WaitReports(String workerId, ClusterServiceGrpc.ClusterServiceStub master, Scheduler scheduler) {
    this.workerId = workerId;
    this.master = master;
    this.scheduler = scheduler;
  }

  void add(EventWaitChange change) {
    queue.add(change);
    drain();
  }

  private void drain() {
    while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
      List<EventWaitChange> batch = new ArrayList<>();
      for (EventWaitChange c; batch.size() < MAX_BATCH && (c = queue.poll()) != null; ) {
        batch.add(c);
      }
      if (batch.isEmpty()) {
        sending.set(false);
        continue;
      }
      send(request(batch), 1, FIRST_RETRY);
      return;
    }
  }

  private ReportEventWaitsRequest request(List<EventWaitChange> batch) {
    ReportEventWaitsRequest.Builder b = ReportEventWaitsRequest.newBuilder().setWorkerId(workerId);
    for (EventWaitChange c : batch) {
      var w =
          io.sluice.proto.EventWaitChange.newBuilder()
              .setActive(c.active())
              .setWaitId(c.waitId())
              .setInstanceId(c.instanceId())
              .setEventType(c.key().eventType());
      if (c.key().keyed()) {
        w.setAttribute(c.key().attribute()).setValue(c.key().value());
      }
      b.addChanges(w);
    }
    return b.build();
  }

  private void send(ReportEventWaitsRequest req, int attempt, Duration backoff) {
    master
        .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .reportEventWaits(
            req,
            new StreamObserver<ReportEventWaitsResponse>() {
              @Override
              public void onNext(ReportEventWaitsResponse value) {}

              @Override
              public void onError(Throwable t) {
                if (attempt < ATTEMPTS && GrpcErrors.retryable(t)) {
                  scheduler.schedule(
                      backoff, () -> send(req, attempt + 1, backoff.multipliedBy(2)));
                  return;
                }
                LOG.error(
                    "worker {} gave up reporting {} event-wait changes to the master after {}"
                        + " attempts: {}; those waits get only events addressed to their instance",
                    workerId,
                    req.getChangesCount(),
                    attempt,
                    t.getMessage());
                done();
              }

              @Override
              public void onCompleted() {
                done();
              }
            });
  }

  private void done() {
    sending.set(false);
    drain();
  }
}

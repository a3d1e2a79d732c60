package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.stub.StreamObserver;
import io.sluice.client.Inputs;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.WorkflowServiceGrpc;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sluice submit --count N --concurrency C}: quick load from one JVM. The instances go out as
 * asynchronous {@code InvokeAndWait} calls on one channel, at most C in flight (a permit is taken
 * before each call and given back when its answer comes): no thread per instance, so N can be
 * large. The summary counts the outcomes and gives the rate (instances ended per second of the
 * whole run) and the latencies (call sent to end heard, per instance).
 */
final class SubmitLoad {
  /** What a load run did. */
  record Summary(
      int submitted,
      int completed,
      int failed,
      int cancelled,
      int errors,
      double seconds,
      double rate,
      double p50Millis,
      double p99Millis,
      String firstError) {

    String line() {
      return String.format(
          java.util.Locale.ROOT,
          "submitted %d, completed %d, failed %d, cancelled %d%s in %.2f s: %.1f instances/s,"
              + " latency p50 %.1f ms, p99 %.1f ms",
          submitted,
          completed,
          failed,
          cancelled,
          errors == 0 ? "" : ", not started " + errors + " (" + firstError + ")",
          seconds,
          rate,
          p50Millis,
          p99Millis);
    }

    ObjectNode json() {
      ObjectNode o = Inputs.JSON.createObjectNode();
      o.put("submitted", submitted);
      o.put("completed", completed);
      o.put("failed", failed);
      o.put("cancelled", cancelled);
      o.put("notStarted", errors);
      o.put("seconds", seconds);
      o.put("instancesPerSecond", rate);
      o.put("p50Millis", p50Millis);
      o.put("p99Millis", p99Millis);
      if (firstError != null) {
        o.put("firstError", firstError);
      }
      return o;
    }

    /** 0 when every instance completed, 1 otherwise. */
    int exitCode() {
      return completed == submitted ? 0 : Main.EXIT_FAILED;
    }
  }

  private SubmitLoad() {}

  static Summary run(io.grpc.Channel channel, InvokeRequest req, int count, int concurrency)
      throws InterruptedException {
    WorkflowServiceGrpc.WorkflowServiceStub stub = WorkflowServiceGrpc.newStub(channel);
    Semaphore inFlight = new Semaphore(concurrency);
    CountDownLatch ended = new CountDownLatch(count);
    long[] latencies = new long[count];
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    ConcurrentLinkedQueue<String> errorTexts = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      int index = i;
      long sent = System.nanoTime();
      stub.invokeAndWait(
          req,
          new StreamObserver<>() {
            @Override
            public void onNext(InstanceStatus s) {
              if (s.getState() == InstanceState.INSTANCE_STATE_SUCCEEDED) {
                completed.incrementAndGet();
              } else if (s.getState() == InstanceState.INSTANCE_STATE_CANCELLED) {
                cancelled.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            }

            @Override
            public void onError(Throwable t) {
              errors.incrementAndGet();
              if (errorTexts.isEmpty()) {
                errorTexts.add(
                    t instanceof io.grpc.StatusRuntimeException s
                        ? s.getStatus().getCode() + ": " + s.getStatus().getDescription()
                        : t.toString());
              }
              end();
            }

            @Override
            public void onCompleted() {
              end();
            }

            private void end() {
              latencies[index] = System.nanoTime() - sent;
              inFlight.release();
              ended.countDown();
            }
          });
    }
    ended.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Summary(
        count,
        completed.get(),
        failed.get(),
        cancelled.get(),
        errors.get(),
        seconds,
        seconds > 0 ? count / seconds : 0,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        errorTexts.peek());
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}

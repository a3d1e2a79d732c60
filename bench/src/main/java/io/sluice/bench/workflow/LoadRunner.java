package io.sluice.bench.workflow;

import io.grpc.stub.StreamObserver;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.WorkflowServiceGrpc.WorkflowServiceStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Offers a load to the master's WorkflowService with async {@code InvokeAndWait} calls, one per
 * instance, and records a {@link Sample} for each: client-observed latency from the call to its
 * answer (the instance's final status). Every call has a deadline of {@code timeout}, so every run
 * ends: an instance that has not ended by then counts as failed.
 */
final class LoadRunner {
  /** The samples of one run and its measured window (first invoke to last answer). */
  record Run(List<Sample> samples, long windowNanos) {}

  private final WorkflowServiceStub stub;
  private final Duration timeout;

  LoadRunner(WorkflowServiceStub stub, Duration timeout) {
    this.stub = stub;
    this.timeout = timeout;
  }

  private static long saturatedProduct(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE / 2 : lo;
  }

  /** Runs {@code n} instances one after another, unmeasured (warm-up). */
  void warmup(InvokeRequest req, int n) throws InterruptedException {
    closed(req, 1, n, 0, s -> {});
  }

  /**
   * The closed loop: {@code clients} clients, each invoking its next instance when its previous one
   * ends, until {@code instances} were started, or (when {@code durationNanos > 0}) until that much
   * time has passed since the start.
   */
  Run closed(
      InvokeRequest req, int clients, int instances, long durationNanos, Consumer<Sample> done)
      throws InterruptedException {
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(clients);
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      new Object() {
        void loop() {
          int seq = next.getAndIncrement();
          boolean over =
              durationNanos > 0 ? System.nanoTime() - t0 >= durationNanos : seq >= instances;
          if (over) {
            finished.countDown();
            return;
          }
          invoke(
              req,
              seq,
              t0,
              s -> {
                samples.add(s);
                done.accept(s);
                loop();
              });
        }
      }.loop();
    }
    // A timed loop ends by its duration plus one instance's timeout (each client finishes the
    // instance it has in flight); a counted one by its instances one after another at worst.
    long slack = 60_000_000_000L;
    long bound =
        durationNanos > 0
            ? durationNanos + timeout.toNanos() + slack
            : saturatedProduct(timeout.toNanos(), Math.max(1, instances)) + slack;
    if (!finished.await(bound, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("the closed loop did not end within its bound");
    }
    return finish(samples);
  }

  /** The open loop: one instance at each arrival (ns from the start), whatever is in flight. */
  Run open(InvokeRequest req, long[] arrivals, Consumer<Sample> done) throws InterruptedException {
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch finished = new CountDownLatch(arrivals.length);
    long t0 = System.nanoTime();
    for (int i = 0; i < arrivals.length; i++) {
      long wait = t0 + arrivals[i] - System.nanoTime();
      while (wait > 0) {
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        wait = t0 + arrivals[i] - System.nanoTime();
      }
      invoke(
          req,
          i,
          t0,
          s -> {
            samples.add(s);
            done.accept(s);
            finished.countDown();
          });
    }
    if (!finished.await(timeout.toNanos() + 60_000_000_000L, TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("the open loop's instances did not end within their bound");
    }
    return finish(samples);
  }

  private void invoke(InvokeRequest req, int seq, long t0, Consumer<Sample> done) {
    long start = System.nanoTime();
    AtomicBoolean answered = new AtomicBoolean();
    stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .invokeAndWait(
            req,
            new StreamObserver<>() {
              @Override
              public void onNext(InstanceStatus s) {
                long latency = System.nanoTime() - start;
                if (answered.compareAndSet(false, true)) {
                  done.accept(Sample.of(seq, start - t0, latency, s));
                }
              }

              @Override
              public void onError(Throwable t) {
                long latency = System.nanoTime() - start;
                if (answered.compareAndSet(false, true)) {
                  io.grpc.Status st = io.grpc.Status.fromThrowable(t);
                  done.accept(
                      Sample.failed(
                          seq,
                          start - t0,
                          latency,
                          "rpc "
                              + st.getCode()
                              + (st.getDescription() == null ? "" : ": " + st.getDescription())));
                }
              }

              @Override
              public void onCompleted() {
                if (answered.compareAndSet(false, true)) {
                  done.accept(
                      Sample.failed(
                          seq, start - t0, System.nanoTime() - start, "no status returned"));
                }
              }
            });
  }

  private static Run finish(List<Sample> samples) {
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(java.util.Comparator.comparingInt(Sample::seq));
    long first = sorted.stream().mapToLong(Sample::startNanos).min().orElse(0);
    long last =
        sorted.stream().mapToLong(s -> s.startNanos() + s.latencyNanos()).max().orElse(first);
    return new Run(sorted, last - first);
  }
}

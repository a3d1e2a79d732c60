package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.client.RunInputs;
import io.sluice.client.Submissions;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The chaos test's client: registers each workflow once over gRPC (as {@code sluice submit} does),
 * then invokes instances with client-chosen ids at a steady rate with at most {@code maxInFlight}
 * unended, and polls {@code GetInstance} until each ends. It survives a master restart: calls
 * answered UNAVAILABLE or DEADLINE_EXCEEDED (master down or stalled), or FAILED_PRECONDITION "no
 * live workers" (a restarted master before its workers registered again), are retried with a
 * bounded backoff; an invocation retried under its id is idempotent.
 */
final class ChaosLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long one call is retried before its failure stands. */
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(120);

  /** How long an instance may answer NOT_FOUND before it counts as lost. */
  private static final long LOST_AFTER_MS = 30_000;

  /** How long, once all are submitted, no instance may end before the rest count as hung. */
  private static final long STALL_MS = 90_000;

  /** A workflow of the mix: its file, time scale, registration and the embedded run's result. */
  record Workflow(Path file, double timeScale, WorkflowRef ref, JsonNode expected) {}

  /** One instance as the client saw it. */
  static final class Instance {
    final String id;
    final int workflow;
    volatile long submittedMs;
    volatile long endedMs;
    volatile InstanceStatus status;
    volatile boolean lost;
    volatile String error;
    private long notFoundSince;

    Instance(String id, int workflow) {
      this.id = id;
      this.workflow = workflow;
    }

    boolean ended() {
      return endedMs > 0;
    }
  }

  final List<Workflow> workflows;
  final List<Instance> instances = new ArrayList<>();

  /** Invoked (or being invoked) and not seen ended. */
  private final Map<String, Instance> inFlight = new ConcurrentHashMap<>();

  private final Semaphore slots;
  private final double rate;
  private final ManagedChannel channel;
  private final WorkflowServiceGrpc.WorkflowServiceBlockingStub stub;
  private final long deadlineNanos;
  final AtomicInteger invokeRetries = new AtomicInteger();
  final AtomicInteger pollRetries = new AtomicInteger();
  final AtomicInteger submitted = new AtomicInteger();
  private volatile boolean stopped;

  ChaosLoad(
      String master,
      List<Workflow> workflows,
      int count,
      double rate,
      int maxInFlight,
      long seed,
      String tag,
      long deadlineNanos) {
    this.workflows = workflows;
    this.rate = rate;
    this.slots = new Semaphore(maxInFlight);
    this.deadlineNanos = deadlineNanos;
    this.channel =
        Grpc.newChannelBuilder(master, InsecureChannelCredentials.create())
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
    this.stub = WorkflowServiceGrpc.newBlockingStub(channel);
    Random r = new Random(seed);
    for (int i = 0; i < count; i++) {
      instances.add(new Instance("chaos-" + tag + "-" + i, r.nextInt(workflows.size())));
    }
  }

  static RunInputs options(double timeScale) {
    RunInputs run = new RunInputs();
    run.synthetic = true;
    run.timeScale = timeScale;
    run.dataScale = 0;
    run.syntheticRuntime = "jvm";
    return run;
  }

  /** Registers {@code file} with the master, as {@code sluice submit} does. */
  static WorkflowRef register(String master, Path file, double timeScale) {
    CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.create());
    ManagedChannel ch = Grpc.newChannelBuilder(master, InsecureChannelCredentials.create()).build();
    try {
      return WorkflowServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .registerWorkflow(Submissions.register(cl, file, options(timeScale)))
          .getWorkflow();
    } finally {
      ch.shutdownNow();
    }
  }

  int inFlight() {
    return inFlight.size();
  }

  boolean submittedAll() {
    return submitted.get() == instances.size();
  }

  boolean allEnded() {
    return instances.stream().allMatch(Instance::ended);
  }

  void stop() {
    stopped = true;
    channel.shutdownNow();
  }

  private boolean pastDeadline() {
    return stopped || System.nanoTime() > deadlineNanos;
  }

  private static boolean retryable(StatusRuntimeException e) {
    Status s = e.getStatus();
    return switch (s.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> true;
      case FAILED_PRECONDITION ->
          s.getDescription() != null && s.getDescription().startsWith("no live workers");
      default -> false;
    };
  }

  private <T> T retrying(Supplier<T> call, AtomicInteger retries) throws InterruptedException {
    long until = Math.min(deadlineNanos, System.nanoTime() + RETRY_NANOS);
    long backoff = 100;
    while (true) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (!retryable(e) || System.nanoTime() > until || stopped) {
          throw e;
        }
        retries.incrementAndGet();
        channel.resetConnectBackoff(); // reconnect at once when the master is back
        Thread.sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
      }
    }
  }

  /** Invokes every instance at {@code rate} per second, at most {@code maxInFlight} unended. */
  void submitAll() throws InterruptedException {
    long start = System.nanoTime();
    for (int i = 0; i < instances.size() && !pastDeadline(); i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        if (pastDeadline()) {
          return;
        }
      }
      Instance in = instances.get(i);
      Workflow wf = workflows.get(in.workflow);
      InvokeRequest req =
          Submissions.invoke(wf.ref(), "{}", options(wf.timeScale()), Mode.MODE_WORKER).toBuilder()
              .setInstanceId(in.id)
              .build();
      inFlight.put(in.id, in);
      try {
        String id =
            retrying(
                () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).invoke(req).getInstanceId(),
                invokeRetries);
        if (!id.equals(in.id)) {
          in.error = "the master answered instance id " + id + " for the client-chosen " + in.id;
        }
      } catch (StatusRuntimeException e) {
        in.error = "invoke failed: " + e.getStatus();
        finish(in);
      }
      in.submittedMs = System.currentTimeMillis();
      submitted.incrementAndGet();
    }
  }

  private void finish(Instance in) {
    in.endedMs = System.currentTimeMillis();
    if (inFlight.remove(in.id) != null) {
      slots.release();
    }
  }

  /**
   * Polls the unended instances until every one ended, the deadline, or a stall: every instance
   * submitted and none ended for {@code STALL_MS} (the rest are reported as not ended).
   */
  void pollAll() throws InterruptedException {
    long lastEnd = System.currentTimeMillis();
    int ended = 0;
    while (!pastDeadline() && !(submittedAll() && inFlight.isEmpty())) {
      int endedNow = instances.size() - inFlight.size();
      if (endedNow != ended || !submittedAll()) {
        ended = endedNow;
        lastEnd = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastEnd > STALL_MS) {
        return;
      }
      for (Instance in : List.copyOf(inFlight.values())) {
        if (in.submittedMs == 0 || in.ended()) {
          continue;
        }
        InstanceStatus s;
        try {
          s =
              retrying(
                  () ->
                      stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                          .getInstance(
                              GetInstanceRequest.newBuilder().setInstanceId(in.id).build()),
                  pollRetries);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
            long now = System.currentTimeMillis();
            in.notFoundSince = in.notFoundSince == 0 ? now : in.notFoundSince;
            if (now - in.notFoundSince > LOST_AFTER_MS) {
              in.lost = true;
              in.error = "lost: " + e.getStatus();
              finish(in);
            }
            continue;
          }
          if (pastDeadline()) {
            return;
          }
          in.error = "status failed: " + e.getStatus();
          finish(in);
          continue;
        }
        in.notFoundSince = 0;
        if (s.getState() == InstanceState.INSTANCE_STATE_SUCCEEDED
            || s.getState() == InstanceState.INSTANCE_STATE_FAILED
            || s.getState() == InstanceState.INSTANCE_STATE_CANCELLED) {
          in.status = s;
          finish(in);
        }
      }
      Thread.sleep(200);
    }
  }

  /** The instance's output as JSON (null when it has none or it is a reference). */
  static JsonNode output(InstanceStatus s) {
    if (!s.hasOutput() || !s.getOutput().hasJson() || s.getOutput().getJson().isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(s.getOutput().getJson());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

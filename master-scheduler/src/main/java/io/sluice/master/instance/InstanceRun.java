package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.master.ExecutionMode;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.time.Scheduler;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One instance the master answers for, in either mode. It ends exactly once: the first of its own
 * outcome, an abort (a lost worker) or a cancel wins; {@link #done()} completes then.
 */
public abstract class InstanceRun {
  protected final String id;
  protected final DeploymentView view;
  protected final JsonNode input;
  protected final Scheduler scheduler;
  private final long startedNanos;
  private final long startedMillis;
  private final CompletableFuture<InstanceReport> done = new CompletableFuture<>();
  private volatile InstanceReport last;
  private volatile String startedBy = "";

  /** The instance's root span; null when tracing is off. */
  private final io.sluice.runtime.trace.Tracing.InstanceSpan trace;

  protected InstanceRun(String id, DeploymentView view, JsonNode input, Scheduler scheduler) {
    this.id = id;
    this.view = view;
    this.input = input;
    this.scheduler = scheduler;
    this.startedNanos = scheduler.nanoTime();
    this.startedMillis = scheduler.currentTimeMillis();
    this.trace =
        io.sluice.runtime.trace.Tracing.startInstance(id, view.workflow().key().toString());
  }

  /** The W3C trace context the instance's parts run in, or null when tracing is off. */
  protected final String traceparent() {
    return trace == null ? null : trace.traceparent();
  }

  public String id() {
    return id;
  }

  /** The principal that started it (docs/security.md), empty without authentication. */
  public String startedBy() {
    return startedBy;
  }

  /** Set once, before {@link #start()} (or when taken up from its journal record). */
  public void startedBy(String principal) {
    this.startedBy = principal == null ? "" : principal;
  }

  public DeploymentView view() {
    return view;
  }

  public abstract ExecutionMode mode();

  /** Starts the instance on the workers (or in the master's engine). */
  public abstract void start();

  /**
   * Completes once the instance's start is recorded where a restarted master finds it (durable
   * clusters), at once otherwise: a client is told an instance started only then.
   */
  public CompletableFuture<Void> recorded() {
    return CompletableFuture.completedFuture(null);
  }

  /** Whether the instance depends on this worker (holds nodes or dispatches to it). */
  public abstract boolean usesWorker(String workerId);

  /** Ends the instance from outside (lost worker, cancel) and stops what still runs. */
  public abstract boolean abort(InstanceState state, InstanceError error, String workerId);

  /**
   * Delivers an external event to the instance's event waits without blocking: completes with true
   * when something took it, false when nothing did (or the workers holding it could not be
   * reached). Callers on I/O threads (the HTTP endpoint) rely on it not blocking.
   */
  public abstract CompletableFuture<Boolean> deliverAsync(CloudEvent event);

  /** The instance now. */
  public abstract InstanceReport report();

  public CompletableFuture<InstanceReport> done() {
    return done;
  }

  public boolean finished() {
    return done.isDone();
  }

  /** Records the end; false if it had already ended. */
  protected final boolean finish(InstanceReport r) {
    synchronized (this) {
      if (last != null) {
        return false;
      }
      last = r;
    }
    if (trace != null) {
      trace.end(r.state().name(), r.error() == null ? null : r.error().message());
    }
    done.complete(r);
    return true;
  }

  /** The final report, or null while running. */
  protected final InstanceReport finalReport() {
    return last;
  }

  /** Bytes of intermediate data moved so far: local, peer, Redis (set by worker-side runs). */
  protected volatile long[] bytesMoved = {0, 0, 0};

  /** The critical path's compute and data nanoseconds, once known. */
  protected volatile long[] criticalPath = {0, 0};

  /** Messages between the master and workers about this instance. */
  protected final MasterTraffic traffic = new MasterTraffic();

  protected final InstanceReport build(
      InstanceState state,
      JsonNode output,
      InstanceError error,
      String errorWorker,
      Set<String> workersUsed,
      long crossEvents,
      int executed,
      int skipped,
      long invocations) {
    long now = scheduler.nanoTime();
    return new InstanceReport(
        id,
        view.workflow().key(),
        mode(),
        state,
        output,
        error,
        errorWorker,
        startedMillis,
        state.terminal() ? scheduler.currentTimeMillis() : 0,
        now - startedNanos,
        workersUsed,
        crossEvents,
        view.workflow().graph().nodes().size(),
        executed,
        skipped,
        invocations,
        bytesMoved[0],
        bytesMoved[1],
        bytesMoved[2],
        criticalPath[0],
        criticalPath[1],
        traffic.messages(),
        traffic.bytes());
  }
}

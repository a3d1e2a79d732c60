package io.sluice.engine;

import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.DefinitionException;
import io.sluice.model.EventWaitNode;
import io.sluice.model.GraphWalk;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code sluice run FILE --synthetic --time-scale 0} does with a definition, for the
 * definition fuzzer: {@link Definitions#read}, then deploy (which validates and binds) and run on
 * an embedded engine — one engine for many runs, as {@link LocalRun} builds it, but on a {@link
 * FastClock} so that waits and backoffs do not take real time, and with a bound on each run.
 *
 * <p>A run that does not end is judged by its progress (events, invocations, timers run): one that
 * makes none for a second while it has an event wait and no timer pending waits for an event, and
 * is cancelled; one that makes none for half the bound is a hang (a failure); one still making
 * progress at the bound is a long run, which a definition may ask for (a loop of a million rounds),
 * and is cancelled. A cancelled run must end within the bound.
 */
final class FuzzRunner implements AutoCloseable {
  /** How a run went. */
  enum Kind {
    DEFINITION_ERROR,
    COMPLETED,
    FAILED,
    LONG_RUN_CANCELLED,
    EVENT_WAIT_CANCELLED
  }

  /** The outcome of one run: its kind, and the definition error or final status. */
  record Outcome(Kind kind, DefinitionException error, InstanceStatus status) {}

  private final Duration bound;
  private final FastClock clock = new FastClock(2);
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(
          new RuntimeOptions(clock, 0, 0, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES));
  private final WorkflowEngine engine =
      WorkflowEngine.embedded(
          new EngineOptions(runtimes, clock, 2, Map.of(), true, true, 100, 1_000, true));

  FuzzRunner(Duration bound) {
    this.bound = bound;
  }

  /** The engine's runtimes (validation checks functions against them too). */
  FunctionRuntimes runtimes() {
    return runtimes;
  }

  /** Reads, deploys and runs {@code file}; an {@link AssertionError} if the run hangs. */
  Outcome run(Path file) throws Exception {
    DeployedWorkflow wf;
    WorkflowGraph graph;
    try {
      Definitions.Loaded loaded = Definitions.read(file, null);
      graph = loaded.graph();
      if (!ClientFunctions.bind(loaded, true, null).isEmpty()) {
        throw new AssertionError("the fuzzer's engine has no registry; the seed must not need one");
      }
      wf = engine.deploy(graph);
    } catch (DefinitionException e) {
      return new Outcome(Kind.DEFINITION_ERROR, e, null);
    }
    String id = engine.start(wf, NullNode.getInstance());
    boolean eventWait = GraphWalk.nodes(graph).anyMatch(n -> n.node() instanceof EventWaitNode);
    long progress = progress(id);
    long start = System.nanoTime();
    long lastProgress = start;
    while (true) {
      try {
        InstanceStatus s = engine.completion(id).get(50, TimeUnit.MILLISECONDS);
        return new Outcome(
            s.state() == InstanceState.COMPLETED ? Kind.COMPLETED : Kind.FAILED, null, s);
      } catch (TimeoutException e) {
        long p = progress(id);
        long now = System.nanoTime();
        if (p != progress) {
          progress = p;
          lastProgress = now;
        }
        long quiet = now - lastProgress;
        if (eventWait && clock.pending() == 0 && quiet > 1_000_000_000L) {
          return cancel(id, Kind.EVENT_WAIT_CANCELLED);
        }
        if (quiet > bound.toNanos() / 2) {
          engine.cancel(id);
          throw new AssertionError(
              "instance "
                  + id
                  + " of "
                  + graph.name()
                  + " made no progress for "
                  + quiet / 1_000_000
                  + " ms, with "
                  + clock.pending()
                  + " timers pending and "
                  + (eventWait ? "no event wait reached" : "no event wait")
                  + ": a hang; status "
                  + engine.status(id).orElse(null));
        }
        if (now - start > bound.toNanos()) {
          return cancel(id, Kind.LONG_RUN_CANCELLED);
        }
      }
    }
  }

  /** Cancels a run that waits for an event or runs long; it must then end within the bound. */
  private Outcome cancel(String id, Kind kind) throws Exception {
    engine.cancel(id);
    try {
      return new Outcome(
          kind, null, engine.completion(id).get(bound.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      throw new AssertionError(
          "instance " + id + " did not end within " + bound.toSeconds() + "s of its cancel", e);
    }
  }

  /** A number that changes whenever the instance or the clock moves. */
  private long progress(String id) {
    long p = clock.ran();
    InstanceStatus s = engine.status(id).orElse(null);
    return s == null ? p : p * 31 + s.events() * 17L + s.invocations();
  }

  @Override
  public void close() {
    engine.close();
    runtimes.close();
    clock.close();
  }
}

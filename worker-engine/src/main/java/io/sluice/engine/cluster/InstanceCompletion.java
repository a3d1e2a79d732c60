package io.sluice.engine.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.ExpressionException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The master's view of one distributed instance: it hears each worker's part end and decides the
 * instance's end — completed when every part completed (output composed from all parts' sinks),
 * failed as soon as one part failed (the caller then cancels the others).
 */
public final class InstanceCompletion {
  /** How a distributed instance ended. */
  public record Outcome(
      InstanceState state,
      JsonNode output,
      InstanceError error,
      long invocations,
      int nodesExecuted,
      int nodesSkipped,
      long crossWorkerEvents,
      Set<String> workersUsed,
      long bytesLocal,
      long bytesPeer,
      long bytesRedis,
      long pathComputeNanos,
      long pathDataNanos) {}

  private final WorkflowGraph graph;
  private final JsonNode input;
  private final Set<String> waiting;
  private final Map<String, JsonNode> sinks = new HashMap<>();
  private final Set<String> used = new TreeSet<>();
  private long invocations;
  private int executed;
  private int skipped;
  private long crossEvents;
  private long bytesLocal;
  private long bytesPeer;
  private long bytesRedis;
  private long pathCompute;
  private long pathData;
  private Outcome outcome;

  public InstanceCompletion(WorkflowGraph graph, JsonNode input, Set<String> workers) {
    this.graph = graph;
    this.input = input;
    this.waiting = new HashSet<>(workers);
  }

  /** Takes one part's end; returns the instance's outcome once it is decided (once). */
  public synchronized Optional<Outcome> accept(PartResult r) {
    if (outcome != null || !waiting.remove(r.workerId())) {
      return Optional.empty();
    }
    invocations += r.invocations();
    executed += r.nodesExecuted();
    skipped += r.nodesSkipped();
    crossEvents += r.remoteEventsSent();
    bytesLocal += r.bytesLocal();
    bytesPeer += r.bytesPeer();
    bytesRedis += r.bytesRedis();
    if (r.pathComputeNanos() + r.pathDataNanos() > pathCompute + pathData) {
      pathCompute = r.pathComputeNanos(); // the longest path ends in some part
      pathData = r.pathDataNanos();
    }
    if (r.nodesExecuted() > 0) {
      used.add(r.workerId());
    }
    sinks.putAll(r.sinkOutputs());
    if (r.state() != InstanceState.COMPLETED) {
      outcome = outcome(r.state(), null, r.error());
    } else if (waiting.isEmpty()) {
      try {
        outcome =
            outcome(InstanceState.COMPLETED, WorkflowOutputs.compose(graph, sinks, input), null);
      } catch (ExpressionException e) {
        outcome =
            outcome(
                InstanceState.FAILED,
                null,
                new InstanceError("<output>", "ExpressionFailed", e.getMessage()));
      }
    }
    return Optional.ofNullable(outcome);
  }

  /** Decides the instance failed for a reason outside any part (a dead worker, a cancel). */
  public synchronized Optional<Outcome> abort(InstanceState state, InstanceError error) {
    if (outcome != null) {
      return Optional.empty();
    }
    outcome = outcome(state, null, error);
    return Optional.of(outcome);
  }

  public synchronized Set<String> pendingWorkers() {
    return Set.copyOf(waiting);
  }

  private Outcome outcome(InstanceState state, JsonNode output, InstanceError error) {
    return new Outcome(
        state,
        output,
        error,
        invocations,
        executed,
        skipped,
        crossEvents,
        Set.copyOf(used),
        bytesLocal,
        bytesPeer,
        bytesRedis,
        pathCompute,
        pathData);
  }
}

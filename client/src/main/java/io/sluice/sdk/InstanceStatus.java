package io.sluice.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An instance as the master reports it ({@link SluiceClient#status}, and the final one from {@link
 * SluiceClient#await}).
 *
 * @param output the workflow's output when it succeeded and travelled inline; null otherwise
 * @param outputRef the FaaStore key of an output too large to travel inline; null otherwise
 * @param error why it failed or was cancelled; null otherwise
 * @param started null until known; {@code finished} null while it runs
 * @param nodes each node's progress, in graph order (what the master knows so far)
 */
public record InstanceStatus(
    String instanceId,
    WorkflowId workflow,
    InstanceState state,
    Mode mode,
    JsonNode output,
    String outputRef,
    ErrorDetail error,
    Instant started,
    Instant finished,
    Duration elapsed,
    List<String> workersUsed,
    List<NodeProgress> nodes,
    int nodeCount,
    int nodesExecuted,
    int nodesSkipped,
    long invocations) {

  public boolean succeeded() {
    return state == InstanceState.SUCCEEDED;
  }

  /** Whether the instance has ended. */
  public boolean ended() {
    return state.ended();
  }
}

package io.sluice.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An edge of an instance resolved on one worker whose target node lives on another: the completion
 * event that WorkerSP sends straight to the consumer's worker (never via the master).
 *
 * @param id the event id, derived from instance, edge and attempt, so a resend has the same id and
 *     the receiver counts it once
 * @param instanceId the instance
 * @param workflow the workflow version both workers deployed
 * @param edge the edge's index in the graph's edge list (identical on every worker)
 * @param from the edge's source node
 * @param to the edge's target node (on the receiving worker)
 * @param payload the source's result or error, or null when the edge was skipped
 * @param pathComputeNanos the compute time on the instance's longest path through the source
 * @param pathDataNanos the data time on that path (the critical path travels with the edges)
 */
public record EdgeEvent(
    String id,
    String instanceId,
    WorkflowKey workflow,
    int edge,
    String from,
    String to,
    JsonNode payload,
    long pathComputeNanos,
    long pathDataNanos) {

  /** An edge event that carries no critical path (zero). */
  public EdgeEvent(
      String id,
      String instanceId,
      WorkflowKey workflow,
      int edge,
      String from,
      String to,
      JsonNode payload) {
    this(id, instanceId, workflow, edge, from, to, payload, 0, 0);
  }

  /** The same event with {@code payload} (e.g. a value fetched back) and data time added. */
  public EdgeEvent withPayload(JsonNode value, long moreDataNanos) {
    return new EdgeEvent(
        id,
        instanceId,
        workflow,
        edge,
        from,
        to,
        value,
        pathComputeNanos,
        pathDataNanos + moreDataNanos);
  }

  public boolean skipped() {
    return payload == null;
  }
}

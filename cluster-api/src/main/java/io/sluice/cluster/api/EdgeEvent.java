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
 */
public record EdgeEvent(
    String id,
    String instanceId,
    WorkflowKey workflow,
    int edge,
    String from,
    String to,
    JsonNode payload) {

  public boolean skipped() {
    return payload == null;
  }
}

package io.sluice.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A snapshot of an instance.
 *
 * @param instanceId the instance
 * @param workflow the workflow's name
 * @param state where the instance is in its lifecycle
 * @param output the workflow output once completed, else null
 * @param error why it failed, else null
 * @param nodes nodes of the (top-level) graph
 * @param nodesExecuted top-level nodes that ran at least once
 * @param nodesSkipped top-level nodes skipped by dead-path elimination
 * @param invocations function invocations, counting map iterations, loop rounds and retries
 * @param startedAtMillis when it started (scheduler wall time)
 * @param elapsedNanos how long it ran (so far, if running)
 * @param events events in its history
 * @param criticalPathComputeNanos compute time on the longest path of executed nodes it took
 * @param criticalPathDataNanos time storing and fetching intermediate data on that path
 */
public record InstanceStatus(
    String instanceId,
    String workflow,
    InstanceState state,
    JsonNode output,
    InstanceError error,
    int nodes,
    int nodesExecuted,
    int nodesSkipped,
    long invocations,
    long startedAtMillis,
    long elapsedNanos,
    int events,
    long criticalPathComputeNanos,
    long criticalPathDataNanos) {}

package io.sluice.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One worker's part of an instance ended: every node it holds is resolved (or the instance failed
 * there). The master completes the instance when every part has, composing the output from the
 * parts' sink outputs. The byte counts are what the part moved through FaaStore: handed over in
 * memory on this worker, pushed to or fetched from peers, and through Redis. The path figures are
 * the longest (compute + data) path ending at one of this part's nodes, accumulated across workers
 * along the edge events; the master keeps the longest of its parts'. {@code retainsData}: the
 * worker may hold values of the instance until the master releases it (false: nothing to release).
 */
public record PartResult(
    String instanceId,
    String workerId,
    InstanceState state,
    Map<String, JsonNode> sinkOutputs,
    InstanceError error,
    long invocations,
    int nodesExecuted,
    int nodesSkipped,
    long remoteEventsSent,
    long bytesLocal,
    long bytesPeer,
    long bytesRedis,
    long pathComputeNanos,
    long pathDataNanos,
    boolean retainsData) {}

package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.ExecutionMode;
import java.util.Set;

/**
 * What the master tells clients about one instance, whichever mode ran it.
 *
 * @param workflow the registered workflow version
 * @param errorWorker the worker the error happened on or concerns, or null
 * @param finishedAtMillis scheduler wall time of its end, 0 while running
 * @param elapsedNanos from start to end (or to now while running)
 * @param workersUsed workers that ran at least one of its nodes
 * @param crossWorkerEvents edge events sent from one worker to another (WorkerSP)
 * @param nodes top-level nodes of the graph
 * @param bytesLocal intermediate data handed over in worker memory (WorkerSP with FaaStore)
 * @param bytesPeer intermediate data pushed or fetched between workers
 * @param bytesRedis intermediate data written to or read from Redis
 * @param criticalPathComputeNanos compute time on the longest path of executed nodes it took
 * @param criticalPathDataNanos time storing and fetching intermediate data on that path
 * @param masterMessages messages about it between the master and workers
 * @param masterBytes their bytes
 */
public record InstanceReport(
    String instanceId,
    WorkflowKey workflow,
    ExecutionMode mode,
    InstanceState state,
    JsonNode output,
    InstanceError error,
    String errorWorker,
    long startedAtMillis,
    long finishedAtMillis,
    long elapsedNanos,
    Set<String> workersUsed,
    long crossWorkerEvents,
    int nodes,
    int nodesExecuted,
    int nodesSkipped,
    long invocations,
    long bytesLocal,
    long bytesPeer,
    long bytesRedis,
    long criticalPathComputeNanos,
    long criticalPathDataNanos,
    long masterMessages,
    long masterBytes) {
  public InstanceReport {
    workersUsed = Set.copyOf(workersUsed);
  }
}

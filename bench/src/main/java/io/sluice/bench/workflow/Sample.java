package io.sluice.bench.workflow;

import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;

/**
 * One measured instance: what the client saw (when it invoked, how long until the end) and the
 * figures of the instance's final {@link InstanceStatus}. Times are in nanoseconds.
 *
 * @param seq the instance's number within its configuration (0-based, in invoke order)
 * @param instanceId the master's instance id (empty when the invoke itself failed)
 * @param ok whether the instance completed
 * @param startNanos when it was invoked, from the start of the measured window
 * @param latencyNanos client-observed latency: invoke to the end's answer
 * @param elapsedNanos the instance's elapsed time as the engine measured it
 * @param computeNanos critical_path_compute
 * @param dataNanos critical_path_data
 * @param invocations function invocations
 * @param masterMessages messages through the master
 * @param masterBytes bytes through the master
 * @param crossWorkerEvents edge events sent worker to worker
 * @param bytesLocal intermediate bytes handed over in worker memory
 * @param bytesPeer intermediate bytes moved between workers
 * @param bytesRedis intermediate bytes moved through Redis
 * @param error what went wrong, or empty
 */
public record Sample(
    int seq,
    String instanceId,
    boolean ok,
    long startNanos,
    long latencyNanos,
    long elapsedNanos,
    long computeNanos,
    long dataNanos,
    long invocations,
    long masterMessages,
    long masterBytes,
    long crossWorkerEvents,
    long bytesLocal,
    long bytesPeer,
    long bytesRedis,
    String error) {

  /** Scheduling overhead: elapsed less the compute time along the critical path. */
  public long schedulingOverheadNanos() {
    return elapsedNanos - computeNanos;
  }

  /** A sample from an instance's final status. */
  public static Sample of(int seq, long startNanos, long latencyNanos, InstanceStatus s) {
    boolean ok = s.getState() == InstanceState.INSTANCE_STATE_SUCCEEDED;
    return new Sample(
        seq,
        s.getInstanceId(),
        ok,
        startNanos,
        latencyNanos,
        nanos(s.getElapsed()),
        nanos(s.getCriticalPathCompute()),
        nanos(s.getCriticalPathData()),
        s.getInvocations(),
        s.getMasterMessages(),
        s.getMasterBytes(),
        s.getCrossWorkerEvents(),
        s.getBytesLocal(),
        s.getBytesPeer(),
        s.getBytesRedis(),
        ok ? "" : describe(s));
  }

  /** A sample for an invoke that failed before any status came back (RPC error, deadline). */
  public static Sample failed(int seq, long startNanos, long latencyNanos, String error) {
    return new Sample(
        seq, "", false, startNanos, latencyNanos, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, error);
  }

  private static String describe(InstanceStatus s) {
    String state = s.getState().name().replace("INSTANCE_STATE_", "").toLowerCase();
    if (!s.hasError()) {
      return state;
    }
    var e = s.getError();
    return state
        + ": "
        + e.getType()
        + (e.getNodeId().isEmpty() ? "" : " at node " + e.getNodeId())
        + (e.getWorkerId().isEmpty() ? "" : " on " + e.getWorkerId())
        + ": "
        + e.getMessage();
  }

  static long nanos(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }
}

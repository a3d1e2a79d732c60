package io.sluice.cluster.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.Payload;
import java.util.LinkedHashMap;
import java.util.Map;

/** Instance states, statuses and part results between the engine and the wire. */
final class StatusMapping {
  private StatusMapping() {}

  static io.sluice.proto.InstanceState state(InstanceState s) {
    return switch (s) {
      case RUNNING -> io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING;
      case COMPLETED -> io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED;
      case FAILED -> io.sluice.proto.InstanceState.INSTANCE_STATE_FAILED;
      case CANCELLED -> io.sluice.proto.InstanceState.INSTANCE_STATE_CANCELLED;
    };
  }

  static InstanceState state(io.sluice.proto.InstanceState s, String field) {
    return switch (s) {
      case INSTANCE_STATE_PENDING, INSTANCE_STATE_RUNNING -> InstanceState.RUNNING;
      case INSTANCE_STATE_SUCCEEDED -> InstanceState.COMPLETED;
      case INSTANCE_STATE_FAILED -> InstanceState.FAILED;
      case INSTANCE_STATE_CANCELLED -> InstanceState.CANCELLED;
      default ->
          throw new IllegalArgumentException(
              field + " must be PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED, got " + s);
    };
  }

  static InstanceFinishedRequest instanceFinished(PartResult r) {
    io.sluice.proto.InstanceStatus.Builder status =
        io.sluice.proto.InstanceStatus.newBuilder()
            .setInstanceId(r.instanceId())
            .setState(state(r.state()));
    if (r.error() != null) {
      status.setError(WireMapper.errorInfo(r.error(), r.workerId()));
    }
    InstanceFinishedRequest.Builder b =
        InstanceFinishedRequest.newBuilder()
            .setWorkerId(r.workerId())
            .setInstanceId(r.instanceId())
            .setStatus(status)
            .setInvocations(r.invocations())
            .setNodesExecuted(r.nodesExecuted())
            .setNodesSkipped(r.nodesSkipped())
            .setEdgeEventsSent(r.remoteEventsSent())
            .setBytesLocal(r.bytesLocal())
            .setBytesPeer(r.bytesPeer())
            .setBytesRedis(r.bytesRedis())
            .setPathComputeNanos(r.pathComputeNanos())
            .setPathDataNanos(r.pathDataNanos())
            .setKeepsNoData(!r.retainsData());
    r.sinkOutputs().forEach((node, v) -> b.putSinkOutputs(node, WireMapper.payload(v)));
    return b.build();
  }

  static PartResult partResult(InstanceFinishedRequest r) {
    if (r.getInstanceId().isEmpty()) {
      throw new IllegalArgumentException("instance_id is missing");
    }
    if (r.getWorkerId().isEmpty()) {
      throw new IllegalArgumentException(
          "worker_id is missing (instance " + r.getInstanceId() + ")");
    }
    if (!r.hasStatus()) {
      throw new IllegalArgumentException("status is missing (instance " + r.getInstanceId() + ")");
    }
    InstanceState state = state(r.getStatus().getState(), "status.state");
    if (state == InstanceState.RUNNING) {
      throw new IllegalArgumentException(
          "status.state of a finished part must be SUCCEEDED, FAILED or CANCELLED, got "
              + r.getStatus().getState());
    }
    Map<String, JsonNode> sinks = new LinkedHashMap<>();
    for (Map.Entry<String, Payload> e : r.getSinkOutputsMap().entrySet()) {
      sinks.put(e.getKey(), WireMapper.json(e.getValue(), "sink_outputs[" + e.getKey() + "]"));
    }
    return new PartResult(
        r.getInstanceId(),
        r.getWorkerId(),
        state,
        sinks,
        r.getStatus().hasError() ? WireMapper.instanceError(r.getStatus().getError()) : null,
        r.getInvocations(),
        r.getNodesExecuted(),
        r.getNodesSkipped(),
        r.getEdgeEventsSent(),
        r.getBytesLocal(),
        r.getBytesPeer(),
        r.getBytesRedis(),
        Math.max(0, r.getPathComputeNanos()),
        Math.max(0, r.getPathDataNanos()),
        !r.getKeepsNoData());
  }

  static io.sluice.proto.InstanceStatus instanceStatus(InstanceStatus s, WorkflowKey key) {
    io.sluice.proto.InstanceStatus.Builder b =
        io.sluice.proto.InstanceStatus.newBuilder()
            .setInstanceId(s.instanceId())
            .setWorkflow(WireMapper.workflowRef(key))
            .setState(state(s.state()))
            .setStarted(WireMapper.timestamp(s.startedAtMillis()))
            .setElapsed(WireMapper.duration(java.time.Duration.ofNanos(s.elapsedNanos())))
            .setCriticalPathCompute(
                WireMapper.duration(java.time.Duration.ofNanos(s.criticalPathComputeNanos())))
            .setCriticalPathData(
                WireMapper.duration(java.time.Duration.ofNanos(s.criticalPathDataNanos())));
    if (s.state() == InstanceState.COMPLETED && s.output() != null) {
      b.setOutput(WireMapper.payload(s.output()));
    }
    if (s.error() != null) {
      b.setError(WireMapper.errorInfo(s.error(), null));
    }
    return b.build();
  }
}

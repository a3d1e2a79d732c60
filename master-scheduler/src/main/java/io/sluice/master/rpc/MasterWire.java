package io.sluice.master.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.master.ExecutionMode;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.Mode;
import io.sluice.proto.Payload;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import java.util.TreeSet;

/**
 * The master's few wire mappings of its own (its instance report, worker registration, mode); the
 * rest is {@link WireMapper}, the one proto/domain mapper master and workers share. Malformed
 * messages fail with {@link IllegalArgumentException} naming the field.
 */
public final class MasterWire {
  /** The CloudEvents extension that names the instance an external event is for. */
  public static final String INSTANCE_EXTENSION = "sluiceinstance";

  private MasterWire() {}

  public static WorkflowRef ref(WorkflowKey k) {
    return WireMapper.workflowRef(k);
  }

  public static WorkflowKey key(WorkflowRef r) {
    return WireMapper.workflowKey(r);
  }

  public static Payload payload(JsonNode v) {
    return WireMapper.payload(v);
  }

  public static JsonNode json(Payload p, String field) {
    return WireMapper.json(p, field);
  }

  /** JSON text; empty text is {@code emptyValue}. */
  public static JsonNode json(String text, String field, JsonNode emptyValue) {
    return text == null || text.isBlank() ? emptyValue : WireMapper.parseJson(text, field);
  }

  public static RunOptions runOptions(Binding b) {
    return WireMapper.runOptions(b);
  }

  /** A request's run options as a binding (the registry is the workflow's); null when absent. */
  public static Binding binding(boolean present, RunOptions o) {
    return present ? WireMapper.binding(o, null, null) : null;
  }

  public static ExecutionMode mode(Mode m) {
    return switch (m) {
      case MODE_UNSPECIFIED, MODE_WORKER -> ExecutionMode.WORKER;
      case MODE_MASTER -> ExecutionMode.MASTER;
      default -> throw new IllegalArgumentException("mode must be MODE_WORKER or MODE_MASTER");
    };
  }

  static Mode mode(ExecutionMode m) {
    return m == ExecutionMode.MASTER ? Mode.MODE_MASTER : Mode.MODE_WORKER;
  }

  public static io.sluice.proto.InstanceState state(InstanceState s) {
    return WireMapper.state(s);
  }

  public static PartResult part(InstanceFinishedRequest r) {
    return WireMapper.partResult(r);
  }

  public static WorkerInfo worker(RegisterWorkerRequest r) {
    return new WorkerInfo(
        r.getWorkerId(),
        r.getAddress(),
        r.getSlots(),
        r.getMemoryBytes(),
        r.getRuntimesList(),
        r.getIncarnation());
  }

  /** The SDK event as a proto event, marked for one instance. */
  public static io.cloudevents.v1.proto.CloudEvent cloudEvent(CloudEvent e, String instanceId) {
    return WireMapper.cloudEvent(
        CloudEventBuilder.v1(e).withExtension(INSTANCE_EXTENSION, instanceId).build());
  }

  /** A worker's report of one event wait; malformed fields fail naming {@code where}. */
  public static io.sluice.engine.events.EventWaitChange eventWait(
      io.sluice.proto.EventWaitChange c, String where) {
    for (var f :
        new String[][] {
          {"wait_id", c.getWaitId()},
          {"instance_id", c.getInstanceId()},
          {"event_type", c.getEventType()}
        }) {
      if (f[1].isBlank()) {
        throw new IllegalArgumentException(where + ": missing field " + f[0]);
      }
    }
    if (c.getAttribute().isEmpty() && !c.getValue().isEmpty()) {
      throw new IllegalArgumentException(where + ": value " + c.getValue() + " without attribute");
    }
    var key =
        new io.sluice.engine.events.WaitKey(
            c.getEventType(),
            c.getAttribute().isEmpty() ? null : c.getAttribute(),
            c.getAttribute().isEmpty() ? null : c.getValue());
    return new io.sluice.engine.events.EventWaitChange(
        c.getActive(), c.getWaitId(), c.getInstanceId(), key);
  }

  public static CloudEvent cloudEvent(io.cloudevents.v1.proto.CloudEvent p) {
    return WireMapper.cloudEvent(p, "event");
  }

  public static InstanceStatus status(InstanceReport r) {
    InstanceStatus.Builder b =
        InstanceStatus.newBuilder()
            .setInstanceId(r.instanceId())
            .setWorkflow(ref(r.workflow()))
            .setState(state(r.state()))
            .setMode(mode(r.mode()))
            .setStarted(WireMapper.timestamp(r.startedAtMillis()))
            .addAllWorkersUsed(new TreeSet<>(r.workersUsed()))
            .setCrossWorkerEvents(r.crossWorkerEvents())
            .setElapsed(WireMapper.duration(java.time.Duration.ofNanos(r.elapsedNanos())))
            .setNodeCount(r.nodes())
            .setNodesExecuted(r.nodesExecuted())
            .setNodesSkipped(r.nodesSkipped())
            .setInvocations(r.invocations())
            .setBytesLocal(r.bytesLocal())
            .setBytesPeer(r.bytesPeer())
            .setBytesRedis(r.bytesRedis())
            .setCriticalPathCompute(
                WireMapper.duration(java.time.Duration.ofNanos(r.criticalPathComputeNanos())))
            .setCriticalPathData(
                WireMapper.duration(java.time.Duration.ofNanos(r.criticalPathDataNanos())))
            .setMasterMessages(r.masterMessages())
            .setMasterBytes(r.masterBytes());
    if (r.finishedAtMillis() > 0) {
      b.setFinished(WireMapper.timestamp(r.finishedAtMillis()));
    }
    if (r.state() == InstanceState.COMPLETED) {
      b.setOutput(payload(r.output()));
    }
    if (r.error() != null) {
      b.setError(WireMapper.errorInfo(r.error(), r.errorWorker()));
    }
    return b.build();
  }
}

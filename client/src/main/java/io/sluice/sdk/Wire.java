package io.sluice.sdk;

import com.google.protobuf.Timestamp;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.NodeRun;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSummary;
import java.time.Duration;
import java.time.Instant;

/** The wire's messages as the client's records, and back; the only place that reads protos. */
final class Wire {
  private Wire() {}

  static WorkflowRef ref(WorkflowId id) {
    return WorkflowRef.newBuilder()
        .setName(id.name())
        .setVersion(id.version() == null ? "" : id.version())
        .build();
  }

  static WorkflowId id(WorkflowRef r) {
    return new WorkflowId(r.getName().isEmpty() ? "?" : r.getName(), r.getVersion());
  }

  static Instant instant(boolean present, Timestamp t) {
    return present ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos()) : null;
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Duration duration(boolean present, com.google.protobuf.Duration d) {
    return present ? Duration.ofSeconds(d.getSeconds(), d.getNanos()) : null;
  }

  static InstanceState state(io.sluice.proto.InstanceState s) {
    return switch (s) {
      case INSTANCE_STATE_PENDING -> InstanceState.PENDING;
      case INSTANCE_STATE_RUNNING -> InstanceState.RUNNING;
      case INSTANCE_STATE_SUCCEEDED -> InstanceState.SUCCEEDED;
      case INSTANCE_STATE_FAILED -> InstanceState.FAILED;
      case INSTANCE_STATE_CANCELLED -> InstanceState.CANCELLED;
      default -> InstanceState.UNKNOWN;
    };
  }

  static io.sluice.proto.InstanceState state(InstanceState s) {
    return switch (s) {
      case PENDING -> io.sluice.proto.InstanceState.INSTANCE_STATE_PENDING;
      case RUNNING -> io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING;
      case SUCCEEDED -> io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED;
      case FAILED -> io.sluice.proto.InstanceState.INSTANCE_STATE_FAILED;
      case CANCELLED -> io.sluice.proto.InstanceState.INSTANCE_STATE_CANCELLED;
      case UNKNOWN -> io.sluice.proto.InstanceState.INSTANCE_STATE_UNSPECIFIED;
    };
  }

  static Mode mode(io.sluice.proto.Mode m) {
    return switch (m) {
      case MODE_WORKER -> Mode.WORKER;
      case MODE_MASTER -> Mode.MASTER;
      default -> Mode.DEFAULT;
    };
  }

  static io.sluice.proto.Mode mode(Mode m) {
    return switch (m) {
      case WORKER -> io.sluice.proto.Mode.MODE_WORKER;
      case MASTER -> io.sluice.proto.Mode.MODE_MASTER;
      case DEFAULT -> io.sluice.proto.Mode.MODE_UNSPECIFIED;
    };
  }

  static ErrorDetail error(boolean present, ErrorInfo e) {
    return present
        ? new ErrorDetail(
            e.getType(), e.getMessage(), e.getNodeId(), e.getWorkerId(), e.getRetryable())
        : null;
  }

  static NodeProgress node(NodeRun n) {
    return new NodeProgress(
        n.getNodeId(),
        n.getState(),
        n.getWorkerId(),
        n.getAttempts(),
        instant(n.hasStarted(), n.getStarted()),
        instant(n.hasFinished(), n.getFinished()),
        duration(n.hasDuration(), n.getDuration()),
        error(n.hasError(), n.getError()),
        n.getItemsDone(),
        n.getItemsTotal());
  }

  static HistoryStep step(HistoryEvent e) {
    return new HistoryStep(
        e.getSeq(),
        instant(e.hasTime(), e.getTime()),
        e.getType(),
        e.getNodeId(),
        e.getWorkerId(),
        e.getAttempt(),
        duration(e.hasDuration(), e.getDuration()),
        e.getDetail());
  }

  static InstanceStatus status(io.sluice.proto.InstanceStatus s) {
    var out = s.hasOutput() ? s.getOutput() : null;
    return new InstanceStatus(
        s.getInstanceId(),
        id(s.getWorkflow()),
        state(s.getState()),
        mode(s.getMode()),
        out != null && out.hasJson() ? Json.parse(out.getJson()) : null,
        out != null && out.hasRef() ? out.getRef().getKey() : null,
        error(s.hasError(), s.getError()),
        instant(s.hasStarted(), s.getStarted()),
        instant(s.hasFinished(), s.getFinished()),
        duration(s.hasElapsed(), s.getElapsed()),
        s.getWorkersUsedList(),
        s.getNodesList().stream().map(Wire::node).toList(),
        s.getNodeCount(),
        s.getNodesExecuted(),
        s.getNodesSkipped(),
        s.getInvocations());
  }

  static Progress progress(InstanceUpdate u) {
    return new Progress(
        u.hasStatus() ? status(u.getStatus()) : null,
        u.hasNode() ? node(u.getNode()) : null,
        u.hasStep() ? step(u.getStep()) : null);
  }

  static WorkflowInfo workflow(WorkflowSummary w) {
    return new WorkflowInfo(
        id(w.getWorkflow()),
        w.getNodeCount(),
        w.getEntryNodesList(),
        instant(w.hasRegistered(), w.getRegistered()),
        w.getRetired(),
        w.getRunningInstances());
  }

  static InstanceSummary summary(io.sluice.proto.InstanceSummary s) {
    return new InstanceSummary(
        s.getInstanceId(),
        id(s.getWorkflow()),
        state(s.getState()),
        mode(s.getMode()),
        instant(s.hasStarted(), s.getStarted()),
        instant(s.hasFinished(), s.getFinished()),
        duration(s.hasElapsed(), s.getElapsed()),
        s.getNodeCount(),
        s.getNodesDone(),
        error(s.hasError(), s.getError()));
  }

  static io.cloudevents.v1.proto.CloudEvent event(Event e) {
    var b =
        io.cloudevents.v1.proto.CloudEvent.newBuilder()
            .setId(e.id())
            .setSource(e.source())
            .setSpecVersion("1.0")
            .setType(e.type());
    if (e.subject() != null) {
      b.putAttributes("subject", text(e.subject()));
    }
    if (e.time() != null) {
      b.putAttributes(
          "time",
          io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue.newBuilder()
              .setCeTimestamp(timestamp(e.time()))
              .build());
    }
    e.extensions().forEach((k, v) -> b.putAttributes(k, text(v)));
    if (e.data() != null) {
      b.putAttributes("datacontenttype", text("application/json"));
      b.setTextData(Json.text(e.data()));
    }
    return b.build();
  }

  private static io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue text(String v) {
    return io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue.newBuilder()
        .setCeString(v)
        .build();
  }
}

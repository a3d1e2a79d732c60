package io.sluice.master.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.protobuf.Timestamp;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.sluice.engine.InstanceError;
import io.sluice.engine.InstanceState;
import io.sluice.engine.cluster.Binding;
import io.sluice.engine.cluster.PartResult;
import io.sluice.engine.cluster.WorkflowKey;
import io.sluice.master.ExecutionMode;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.Mode;
import io.sluice.proto.Payload;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The master's wire edge: proto messages to domain records and back. Malformed messages fail with
 * {@link IllegalArgumentException} naming the field (INVALID_ARGUMENT on the wire).
 */
public final class MasterWire {
  static final ObjectMapper JSON = new ObjectMapper();

  private MasterWire() {}

  public static WorkflowRef ref(WorkflowKey k) {
    return WorkflowRef.newBuilder().setName(k.name()).setVersion(k.version()).build();
  }

  public static WorkflowKey key(WorkflowRef r, String field) {
    if (r.getName().isBlank()) {
      throw new IllegalArgumentException("missing field " + field + ".name");
    }
    if (r.getVersion().isBlank()) {
      throw new IllegalArgumentException("missing field " + field + ".version of workflow "
          + r.getName() + " (ListWorkflows tells the registered versions)");
    }
    return new WorkflowKey(r.getName(), r.getVersion());
  }

  public static Payload payload(JsonNode v) {
    return Payload.newBuilder().setJson(v == null ? "null" : v.toString()).build();
  }

  /** Parses JSON text; {@code field} names it in the message. Empty text = {@code emptyValue}. */
  public static JsonNode json(String text, String field, JsonNode emptyValue) {
    if (text == null || text.isBlank()) {
      return emptyValue;
    }
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          field + " is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  public static JsonNode json(Payload p, String field) {
    if (p.hasRef()) {
      throw new IllegalArgumentException(field + " is a FaaStore reference (" + p.getRef().getKey()
          + "); the master takes inline JSON only");
    }
    return json(p.getJson(), field, NullNode.getInstance());
  }

  public static RunOptions runOptions(Binding b) {
    return RunOptions.newBuilder().setSynthetic(b.synthetic()).setTimeScale(b.timeScale())
        .setDataScale(b.dataScale()).build();
  }

  /** A request's run options as a binding (the registry is the workflow's); null when absent. */
  public static Binding binding(boolean present, RunOptions o) {
    if (!present) {
      return null;
    }
    if (o.getTimeScale() < 0 || o.getDataScale() < 0 || Double.isNaN(o.getTimeScale())
        || Double.isNaN(o.getDataScale())) {
      throw new IllegalArgumentException("options.time_scale and options.data_scale must be"
          + " non-negative numbers, got " + o.getTimeScale() + " and " + o.getDataScale());
    }
    return new Binding(Map.of(), o.getSynthetic(), o.getTimeScale(), o.getDataScale());
  }

  public static ExecutionMode mode(Mode m) {
    return switch (m) {
      case MODE_UNSPECIFIED, MODE_WORKER -> ExecutionMode.WORKER;
      case MODE_MASTER -> ExecutionMode.MASTER;
      default -> throw new IllegalArgumentException("unknown mode " + m);
    };
  }

  static Mode mode(ExecutionMode m) {
    return m == ExecutionMode.MASTER ? Mode.MODE_MASTER : Mode.MODE_WORKER;
  }

  public static io.sluice.proto.InstanceState state(InstanceState s) {
    return switch (s) {
      case RUNNING -> io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING;
      case COMPLETED -> io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED;
      case FAILED -> io.sluice.proto.InstanceState.INSTANCE_STATE_FAILED;
      case CANCELLED -> io.sluice.proto.InstanceState.INSTANCE_STATE_CANCELLED;
    };
  }

  static InstanceState state(io.sluice.proto.InstanceState s) {
    return switch (s) {
      case INSTANCE_STATE_SUCCEEDED -> InstanceState.COMPLETED;
      case INSTANCE_STATE_FAILED -> InstanceState.FAILED;
      case INSTANCE_STATE_CANCELLED -> InstanceState.CANCELLED;
      default -> throw new IllegalArgumentException(
          "status.state must be SUCCEEDED, FAILED or CANCELLED for a finished part, got " + s);
    };
  }

  public static InstanceStatus status(InstanceReport r) {
    InstanceStatus.Builder b = InstanceStatus.newBuilder()
        .setInstanceId(r.instanceId())
        .setWorkflow(ref(r.workflow()))
        .setState(state(r.state()))
        .setMode(mode(r.mode()))
        .setStarted(timestamp(r.startedAtMillis()))
        .addAllWorkersUsed(new java.util.TreeSet<>(r.workersUsed()))
        .setCrossWorkerEvents(r.crossWorkerEvents())
        .setElapsed(com.google.protobuf.Duration.newBuilder()
            .setSeconds(r.elapsedNanos() / 1_000_000_000L)
            .setNanos((int) (r.elapsedNanos() % 1_000_000_000L)))
        .setNodeCount(r.nodes())
        .setNodesExecuted(r.nodesExecuted())
        .setNodesSkipped(r.nodesSkipped())
        .setInvocations(r.invocations());
    if (r.finishedAtMillis() > 0) {
      b.setFinished(timestamp(r.finishedAtMillis()));
    }
    if (r.state() == InstanceState.COMPLETED) {
      b.setOutput(payload(r.output()));
    }
    if (r.error() != null) {
      b.setError(ErrorInfo.newBuilder().setType(r.error().type())
          .setMessage(r.error().message()).setNodeId(r.error().nodeId())
          .setWorkerId(Objects.requireNonNullElse(r.errorWorker(), "")));
    }
    return b.build();
  }

  private static Timestamp timestamp(long millis) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(millis, 1000))
        .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
  }

  public static WorkerInfo worker(RegisterWorkerRequest r) {
    return new WorkerInfo(r.getWorkerId(), r.getAddress(), r.getSlots(), r.getMemoryBytes(),
        r.getRuntimesList());
  }

  public static PartResult part(InstanceFinishedRequest r) {
    if (r.getWorkerId().isBlank()) {
      throw new IllegalArgumentException("missing field worker_id");
    }
    String id = r.getInstanceId().isBlank() ? r.getStatus().getInstanceId() : r.getInstanceId();
    if (id.isBlank()) {
      throw new IllegalArgumentException("missing field instance_id");
    }
    InstanceState state = state(r.getStatus().getState());
    InstanceError error = null;
    if (r.getStatus().hasError()) {
      ErrorInfo e = r.getStatus().getError();
      error = new InstanceError(e.getNodeId().isEmpty() ? "-" : e.getNodeId(), e.getType(),
          e.getMessage());
    } else if (state != InstanceState.COMPLETED) {
      error = new InstanceError("-", state.name(), "worker " + r.getWorkerId()
          + " reported its part " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    Map<String, JsonNode> sinks = new LinkedHashMap<>();
    r.getSinkOutputsMap().forEach((node, p) -> sinks.put(node, json(p, "sink_outputs." + node)));
    return new PartResult(id, r.getWorkerId(), state, sinks, error, r.getInvocations(),
        r.getNodesExecuted(), r.getNodesSkipped(), r.getEdgeEventsSent());
  }

  /** The SDK event as a proto event, marked for one instance (extension sluiceinstance). */
  public static io.cloudevents.v1.proto.CloudEvent cloudEvent(CloudEvent e, String instanceId) {
    var b = io.cloudevents.v1.proto.CloudEvent.newBuilder()
        .setId(e.getId()).setSource(e.getSource().toString()).setSpecVersion("1.0")
        .setType(e.getType());
    if (e.getSubject() != null) {
      b.putAttributes("subject", str(e.getSubject()));
    }
    if (e.getDataContentType() != null) {
      b.putAttributes("datacontenttype", str(e.getDataContentType()));
    }
    for (String name : e.getExtensionNames()) {
      b.putAttributes(name, str(String.valueOf(e.getExtension(name))));
    }
    if (instanceId != null) {
      b.putAttributes("sluiceinstance", str(instanceId));
    }
    if (e.getData() != null) {
      b.setTextData(new String(e.getData().toBytes(), StandardCharsets.UTF_8));
    }
    return b.build();
  }

  private static CloudEventAttributeValue str(String s) {
    return CloudEventAttributeValue.newBuilder().setCeString(s).build();
  }

  /** A proto event as an SDK event; throws naming the missing attribute. */
  public static CloudEvent cloudEvent(io.cloudevents.v1.proto.CloudEvent p) {
    if (p.getId().isBlank() || p.getType().isBlank() || p.getSource().isBlank()) {
      throw new IllegalArgumentException(
          "event needs id, type and source (CloudEvents required attributes), got id='"
              + p.getId() + "' type='" + p.getType() + "' source='" + p.getSource() + "'");
    }
    CloudEventBuilder b = CloudEventBuilder.v1().withId(p.getId()).withType(p.getType());
    try {
      b.withSource(URI.create(p.getSource()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("event.source is not a URI reference: " + p.getSource());
    }
    for (var a : p.getAttributesMap().entrySet()) {
      String v = text(a.getValue());
      switch (a.getKey()) {
        case "subject" -> b.withSubject(v);
        case "datacontenttype" -> b.withDataContentType(v);
        case "time" -> b.withTime(OffsetDateTime.parse(v));
        case "dataschema" -> b.withDataSchema(URI.create(v));
        default -> b.withExtension(a.getKey(), v);
      }
    }
    switch (p.getDataCase()) {
      case TEXT_DATA -> b.withData(p.getTextData().getBytes(StandardCharsets.UTF_8));
      case BINARY_DATA -> b.withData(p.getBinaryData().toByteArray());
      default -> { }
    }
    return b.build();
  }

  private static String text(CloudEventAttributeValue v) {
    return switch (v.getAttrCase()) {
      case CE_BOOLEAN -> Boolean.toString(v.getCeBoolean());
      case CE_INTEGER -> Integer.toString(v.getCeInteger());
      case CE_STRING -> v.getCeString();
      case CE_URI -> v.getCeUri();
      case CE_URI_REF -> v.getCeUriRef();
      case CE_BYTES -> java.util.Base64.getEncoder().encodeToString(v.getCeBytes().toByteArray());
      case CE_TIMESTAMP -> OffsetDateTime.ofInstant(Instant.ofEpochSecond(
          v.getCeTimestamp().getSeconds(), v.getCeTimestamp().getNanos()), ZoneOffset.UTC)
          .toString();
      default -> "";
    };
  }

}

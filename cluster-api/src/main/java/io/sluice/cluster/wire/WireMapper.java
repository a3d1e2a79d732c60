package io.sluice.cluster.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.model.format.SourceDocument;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.NodeAssignment;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.Payload;
import io.sluice.proto.PeerAddress;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapper between the wire (protobuf, {@code io.sluice.proto}) and the domain records that
 * workers and the master exchange. Protobuf types stop here. Malformed input (a missing id, bad
 * JSON, an unknown state) throws {@link IllegalArgumentException} naming the field.
 */
public final class WireMapper {
  private static final ObjectMapper MAPPER = io.sluice.model.format.JsonMappers.forValues();

  private WireMapper() {}

  // ---- JSON values

  /** A JSON value inline. */
  public static Payload payload(JsonNode value) {
    return Payload.newBuilder().setJson(jsonText(value)).build();
  }

  /** The JSON value of a payload; {@code field} names it in errors. */
  public static JsonNode json(Payload p, String field) {
    return switch (p.getValueCase()) {
      case JSON -> parseJson(p.getJson(), field + ".json");
      case REF ->
          throw new IllegalArgumentException(
              field
                  + " is a FaaStore reference ("
                  + p.getRef().getKey()
                  + ") but this process cannot resolve references yet; send the value inline");
      default -> throw new IllegalArgumentException(field + " is missing (no json, no ref)");
    };
  }

  /** JSON text as a tree; {@code field} names it in errors. */
  public static JsonNode parseJson(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + " is empty; expected a JSON value");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          field + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON value as compact text ({@code null} for a Java null). */
  public static String jsonText(JsonNode value) {
    try {
      return value == null ? "null" : MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  // ---- workflows, placement, peers

  public static WorkflowRef workflowRef(WorkflowKey key) {
    return WorkflowRef.newBuilder().setName(key.name()).setVersion(key.version()).build();
  }

  public static WorkflowKey workflowKey(WorkflowRef ref) {
    if (ref.getName().isEmpty()) {
      throw new IllegalArgumentException("workflow.name is missing");
    }
    if (ref.getVersion().isEmpty()) {
      throw new IllegalArgumentException(
          "workflow.version is missing (workflow " + ref.getName() + ")");
    }
    return new WorkflowKey(ref.getName(), ref.getVersion());
  }

  /** node id -> worker id, in the placement's order. */
  public static Map<String, String> placement(NodePlacement p) {
    Map<String, String> m = new LinkedHashMap<>();
    for (NodeAssignment a : p.getAssignmentsList()) {
      if (a.getNodeId().isEmpty() || a.getWorkerId().isEmpty()) {
        throw new IllegalArgumentException(
            "placement.assignments: node_id and worker_id are required, got " + shortText(a));
      }
      if (m.put(a.getNodeId(), a.getWorkerId()) != null) {
        throw new IllegalArgumentException(
            "placement.assignments names node '" + a.getNodeId() + "' twice");
      }
    }
    return m;
  }

  public static List<NodeAssignment> assignments(Map<String, String> placement) {
    return placement.entrySet().stream()
        .map(
            e ->
                NodeAssignment.newBuilder().setNodeId(e.getKey()).setWorkerId(e.getValue()).build())
        .toList();
  }

  /** worker id -> host:port. */
  public static Map<String, String> peers(List<PeerAddress> peers) {
    Map<String, String> m = new LinkedHashMap<>();
    for (PeerAddress p : peers) {
      if (p.getWorkerId().isEmpty() || p.getAddress().isEmpty()) {
        throw new IllegalArgumentException(
            "peers: worker_id and address are required, got " + shortText(p));
      }
      m.put(p.getWorkerId(), p.getAddress());
    }
    return m;
  }

  // ---- function binding

  /**
   * A deployment's binding: run options plus the function registry file's text (empty = none),
   * parsed as a registry named {@code registryFileName}.
   *
   * @throws io.sluice.model.DefinitionException when the registry text is invalid
   */
  public static Binding binding(RunOptions o, String registryFileName, String registryText) {
    checkScale(o.getTimeScale(), "options.time_scale");
    checkScale(o.getDataScale(), "options.data_scale");
    Map<String, io.sluice.model.FunctionDef> registry = Map.of();
    if (registryText != null && !registryText.isBlank()) {
      String name =
          registryFileName == null || registryFileName.isBlank()
              ? "function-registry.yaml"
              : registryFileName;
      registry = FunctionRegistry.read(SourceDocument.parse(name, registryText)).functions();
    }
    return new Binding(registry, o.getSynthetic(), o.getTimeScale(), o.getDataScale());
  }

  /** The run options of a binding (its registry travels as text, separately). */
  public static RunOptions runOptions(Binding b) {
    return RunOptions.newBuilder()
        .setTimeScale(b.timeScale())
        .setDataScale(b.dataScale())
        .setSynthetic(b.synthetic())
        .build();
  }

  private static void checkScale(double v, String field) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + v);
    }
  }

  // ---- edge events and external CloudEvents

  /** An edge event as the CloudEvent that travels on a peer stream. */
  public static io.cloudevents.v1.proto.CloudEvent cloudEvent(EdgeEvent e, String senderWorkerId) {
    return EdgeEventCodec.encode(e, senderWorkerId, e.skipped() ? null : jsonText(e.payload()));
  }

  /**
   * As {@link #cloudEvent(EdgeEvent, String)}, with the payload's JSON text already written (a
   * fan-out's edges to one worker carry the same result: it is written once per batch).
   */
  public static io.cloudevents.v1.proto.CloudEvent cloudEvent(
      EdgeEvent e, String senderWorkerId, String payloadText) {
    return EdgeEventCodec.encode(e, senderWorkerId, payloadText);
  }

  public static EdgeEvent edgeEvent(io.cloudevents.v1.proto.CloudEvent ce) {
    return EdgeEventCodec.decode(ce, null);
  }

  /**
   * As {@link #edgeEvent(io.cloudevents.v1.proto.CloudEvent)}, parsing a payload equal to the
   * previous one only once: the events of a batch that a fan-out sent carry the same result.
   */
  public static EdgeEvent edgeEvent(io.cloudevents.v1.proto.CloudEvent ce, JsonMemo memo) {
    return EdgeEventCodec.decode(ce, memo);
  }

  /**
   * The last JSON text parsed for an instance and its value (one per batch being decoded; not
   * thread-safe). Values are shared only within one instance, as the engine shares a result among a
   * node's successors.
   */
  public static final class JsonMemo {
    private String instance;
    private String text;
    private JsonNode value;

    JsonNode parse(String instanceId, String t, String where) {
      if (value == null || !instanceId.equals(instance) || !t.equals(text)) {
        value = parseJson(t, where);
        text = t;
        instance = instanceId;
      }
      return value;
    }
  }

  /** Any CloudEvent in the CloudEvents protobuf format. */
  public static io.cloudevents.v1.proto.CloudEvent cloudEvent(io.cloudevents.CloudEvent e) {
    return CloudEventCodec.toProto(e);
  }

  /** A CloudEvent from the protobuf format; {@code field} names it in errors. */
  public static io.cloudevents.CloudEvent cloudEvent(
      io.cloudevents.v1.proto.CloudEvent p, String field) {
    return CloudEventCodec.fromProto(p, field);
  }

  // ---- errors, states, part results, status

  public static ErrorInfo errorInfo(InstanceError e, String workerId) {
    return ErrorMapping.errorInfo(e, workerId);
  }

  public static InstanceError instanceError(ErrorInfo e) {
    return ErrorMapping.instanceError(e);
  }

  /** A function's failure (a {@link FunctionException} keeps its type and retryability). */
  public static ErrorInfo errorInfo(Throwable failure, String nodeId, String workerId) {
    return ErrorMapping.errorInfo(failure, nodeId, workerId);
  }

  /** A dispatched function's failure as the runtime exception the engine's retry logic reads. */
  public static FunctionException functionException(ErrorInfo e) {
    return ErrorMapping.functionException(e);
  }

  public static io.sluice.proto.InstanceState state(InstanceState s) {
    return StatusMapping.state(s);
  }

  public static InstanceState state(io.sluice.proto.InstanceState s, String field) {
    return StatusMapping.state(s, field);
  }

  public static InstanceFinishedRequest instanceFinished(PartResult r) {
    return StatusMapping.instanceFinished(r);
  }

  public static PartResult partResult(InstanceFinishedRequest r) {
    return StatusMapping.partResult(r);
  }

  /** An engine's instance snapshot; {@code key} is the workflow version it runs. */
  public static io.sluice.proto.InstanceStatus instanceStatus(InstanceStatus s, WorkflowKey key) {
    return StatusMapping.instanceStatus(s, key);
  }

  // ---- times

  public static com.google.protobuf.Duration duration(java.time.Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  public static java.time.Duration duration(com.google.protobuf.Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  public static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos(Math.floorMod(epochMillis, 1000) * 1_000_000)
        .build();
  }

  public static long epochMillis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  static String shortText(com.google.protobuf.MessageOrBuilder m) {
    String s = m.toString().replace('\n', ' ').trim();
    return s.isEmpty() ? "{}" : "{" + s + "}";
  }
}

package io.sluice.master.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.ErrorInfo;
import io.sluice.proto.GetHistoryResponse;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceSummary;
import io.sluice.proto.LogEntry;
import io.sluice.proto.Mode;
import io.sluice.proto.NodeRun;
import java.time.Instant;

/**
 * The JSON shapes of docs/http-api.md, from the WorkflowService messages (the CLI prints them too).
 */
public final class ApiJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ApiJson() {}

  public static String time(long epochMillis) {
    return epochMillis <= 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
  }

  public static String time(boolean present, Timestamp t) {
    return present ? time(WireMapper.epochMillis(t)) : "";
  }

  public static long millis(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }

  public static String state(InstanceState s) {
    return switch (s) {
      case INSTANCE_STATE_SUCCEEDED -> "succeeded";
      case INSTANCE_STATE_FAILED -> "failed";
      case INSTANCE_STATE_CANCELLED -> "cancelled";
      case INSTANCE_STATE_PENDING -> "pending";
      default -> "running";
    };
  }

  private static void error(ObjectNode o, boolean present, ErrorInfo e) {
    if (!present) {
      o.putNull("error");
      return;
    }
    o.putObject("error")
        .put("type", e.getType())
        .put("message", e.getMessage())
        .put("node", e.getNodeId())
        .put("worker", e.getWorkerId());
  }

  private static ObjectNode head(
      String id,
      io.sluice.proto.WorkflowRef wf,
      InstanceState state,
      Mode mode,
      String started,
      String finished,
      long elapsedMs,
      int nodeCount,
      int nodesDone) {
    return JSON.objectNode()
        .put("id", id)
        .put("workflow", wf.getName())
        .put("version", wf.getVersion())
        .put("state", state(state))
        .put("mode", mode == Mode.MODE_MASTER ? "master" : "worker")
        .put("started", started)
        .put("finished", finished)
        .put("elapsedMs", elapsedMs)
        .put("nodeCount", nodeCount)
        .put("nodesDone", nodesDone);
  }

  public static ObjectNode summary(InstanceSummary s) {
    ObjectNode o =
        head(
            s.getInstanceId(),
            s.getWorkflow(),
            s.getState(),
            s.getMode(),
            time(s.hasStarted(), s.getStarted()),
            time(s.hasFinished(), s.getFinished()),
            millis(s.getElapsed()),
            s.getNodeCount(),
            s.getNodesDone());
    o.put("startedBy", s.getStartedBy());
    error(o, s.hasError(), s.getError());
    return o;
  }

  public static ObjectNode instance(InstanceStatus s) {
    ObjectNode o =
        head(
            s.getInstanceId(),
            s.getWorkflow(),
            s.getState(),
            s.getMode(),
            time(s.hasStarted(), s.getStarted()),
            time(s.hasFinished(), s.getFinished()),
            millis(s.getElapsed()),
            s.getNodeCount(),
            s.getNodesExecuted() + s.getNodesSkipped());
    o.put("startedBy", s.getStartedBy());
    error(o, s.hasError(), s.getError());
    ArrayNode nodes = o.putArray("nodes");
    for (NodeRun n : s.getNodesList()) {
      ObjectNode r =
          nodes
              .addObject()
              .put("id", n.getNodeId())
              .put("state", n.getState())
              .put("worker", n.getWorkerId())
              .put("attempts", n.getAttempts())
              .put("started", time(n.hasStarted(), n.getStarted()))
              .put("finished", time(n.hasFinished(), n.getFinished()))
              .put("durationMs", millis(n.getDuration()))
              .put("itemsDone", n.getItemsDone())
              .put("itemsTotal", n.getItemsTotal());
      error(r, n.hasError(), n.getError());
    }
    return o;
  }

  public static ObjectNode history(GetHistoryResponse r) {
    ObjectNode o = JSON.objectNode();
    ArrayNode events = o.putArray("events");
    for (HistoryEvent e : r.getEventsList()) {
      events
          .addObject()
          .put("seq", e.getSeq())
          .put("time", time(e.hasTime(), e.getTime()))
          .put("type", e.getType())
          .put("node", e.getNodeId())
          .put("worker", e.getWorkerId())
          .put("attempt", e.getAttempt())
          .put("durationMs", millis(e.getDuration()))
          .put("detail", e.getDetail());
    }
    return o.put("lastSeq", r.getLastSeq())
        .put("more", r.getMore())
        .put("ended", r.getEnded())
        .put("dropped", r.getDropped());
  }

  public static ObjectNode logs(GetLogsResponse r) {
    ObjectNode o = JSON.objectNode();
    ArrayNode entries = o.putArray("entries");
    for (LogEntry e : r.getEntriesList()) {
      entries
          .addObject()
          .put("node", e.getNodeId())
          .put("worker", e.getWorkerId())
          .put("attempt", e.getAttempt())
          .put("item", e.getItem())
          .put("runtime", e.getRuntime())
          .put("stream", e.getStream())
          .put("text", e.getText())
          .put("truncated", e.getTruncated())
          .put("time", time(e.hasTime(), e.getTime()));
    }
    ArrayNode un = o.putArray("unreachableWorkers");
    r.getUnreachableWorkersList().forEach(un::add);
    return o;
  }
}

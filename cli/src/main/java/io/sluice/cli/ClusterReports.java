package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.client.Inputs;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** An instance's status from the master as the JSON `run --json` prints, plus cluster fields. */
final class ClusterReports {
  private ClusterReports() {}

  static String state(InstanceState s) {
    return switch (s) {
      case INSTANCE_STATE_SUCCEEDED -> "completed";
      case INSTANCE_STATE_FAILED -> "failed";
      case INSTANCE_STATE_CANCELLED -> "cancelled";
      case INSTANCE_STATE_RUNNING, INSTANCE_STATE_PENDING -> "running";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }

  static JsonNode output(InstanceStatus s) {
    if (!s.hasOutput() || s.getOutput().getJson().isEmpty()) {
      return NullNode.getInstance();
    }
    try {
      return Inputs.JSON.readTree(s.getOutput().getJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double millis(com.google.protobuf.Duration d) {
    return (d.getSeconds() * 1e9 + d.getNanos()) / 1e6;
  }

  static ObjectNode json(InstanceStatus s) {
    ObjectNode o = Inputs.JSON.createObjectNode();
    o.put("status", state(s.getState()));
    o.put("instanceId", s.getInstanceId());
    o.put("workflow", s.getWorkflow().getName());
    o.put("nodes", s.getNodeCount());
    o.put("nodesExecuted", s.getNodesExecuted());
    o.put("nodesSkipped", s.getNodesSkipped());
    o.put("invocations", s.getInvocations());
    o.put("elapsedMs", millis(s.getElapsed()));
    o.put("criticalPathComputeMs", millis(s.getCriticalPathCompute()));
    o.put("criticalPathDataMs", millis(s.getCriticalPathData()));
    o.put("masterMessages", s.getMasterMessages());
    o.put("masterBytes", s.getMasterBytes());
    o.set("output", output(s));
    if (s.hasError()) {
      ObjectNode err = o.putObject("error");
      err.put("node", s.getError().getNodeId());
      err.put("type", s.getError().getType());
      err.put("message", s.getError().getMessage());
      if (!s.getError().getWorkerId().isEmpty()) {
        err.put("worker", s.getError().getWorkerId());
      }
    }
    o.put("mode", s.getMode() == io.sluice.proto.Mode.MODE_MASTER ? "master" : "worker");
    o.putPOJO("workersUsed", s.getWorkersUsedList());
    o.put("crossWorkerEvents", s.getCrossWorkerEvents());
    ObjectNode bytes = o.putObject("bytesMoved");
    bytes.put("local", s.getBytesLocal());
    bytes.put("peer", s.getBytesPeer());
    bytes.put("redis", s.getBytesRedis());
    return o;
  }

  /** 0 completed, 1 failed or cancelled, 0 while running (status only). */
  static int exitCode(InstanceStatus s) {
    return s.getState() == InstanceState.INSTANCE_STATE_FAILED
            || s.getState() == InstanceState.INSTANCE_STATE_CANCELLED
        ? Main.EXIT_FAILED
        : 0;
  }

  /** Prints the status: JSON, or the output when completed, or a line saying what happened. */
  static void print(picocli.CommandLine cl, InstanceStatus s, boolean json) throws IOException {
    print(cl, s, json, null);
  }

  /** The same, with the containers this JVM started and called since {@code before} (if any). */
  static void print(picocli.CommandLine cl, InstanceStatus s, boolean json, ContainerCounts before)
      throws IOException {
    if (json) {
      ObjectNode o = json(s);
      if (before != null) {
        before.report(o);
      }
      cl.getOut().println(Inputs.JSON.writeValueAsString(o));
    } else if (s.getState() == InstanceState.INSTANCE_STATE_SUCCEEDED) {
      cl.getOut()
          .println(Inputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(output(s)));
    } else if (s.hasError()) {
      cl.getErr()
          .println(
              "sluice: instance "
                  + s.getInstanceId()
                  + " "
                  + state(s.getState())
                  + ": node '"
                  + s.getError().getNodeId()
                  + "' failed with "
                  + s.getError().getType()
                  + ": "
                  + s.getError().getMessage());
    } else {
      cl.getOut().println("instance " + s.getInstanceId() + " " + state(s.getState()));
    }
  }
}

package io.sluice.cli;

import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceSummary;
import io.sluice.proto.NodeRun;
import io.sluice.proto.WorkflowRef;
import java.time.Instant;
import java.util.Locale;

/** The one-line texts of instances, nodes and history steps the cluster commands print. */
final class InstanceLines {
  private InstanceLines() {}

  static long millis(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }

  /** {@code 812 ms}, {@code 4.2 s}, {@code 3m07s}. */
  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
  }

  static String ref(WorkflowRef w) {
    return w.getName() + "@" + w.getVersion();
  }

  static boolean ended(InstanceState s) {
    return s == InstanceState.INSTANCE_STATE_SUCCEEDED
        || s == InstanceState.INSTANCE_STATE_FAILED
        || s == InstanceState.INSTANCE_STATE_CANCELLED;
  }

  /** {@code m1x-7 genome@1 running 12/50 nodes 812 ms}. */
  static String state(InstanceStatus s) {
    return line(
        s.getInstanceId(),
        s.getWorkflow(),
        s.getState(),
        s.getNodesExecuted() + s.getNodesSkipped(),
        s.getNodeCount(),
        millis(s.getElapsed()));
  }

  /** The state line of a listed instance, with its start time. */
  static String state(InstanceSummary s) {
    return line(
            s.getInstanceId(),
            s.getWorkflow(),
            s.getState(),
            s.getNodesDone(),
            s.getNodeCount(),
            millis(s.getElapsed()))
        + "  started "
        + Instant.ofEpochSecond(s.getStarted().getSeconds());
  }

  private static String line(
      String id, WorkflowRef w, InstanceState state, int done, int count, long ms) {
    return id
        + "  "
        + ref(w)
        + "  "
        + ClusterReports.state(state)
        + "  "
        + done
        + "/"
        + count
        + " nodes  "
        + duration(ms);
  }

  /** A row of the node table: node, state, worker, attempts, duration (items of maps). */
  static String node(NodeRun n, int width) {
    String items =
        n.getItemsTotal() > 0 ? "  " + n.getItemsDone() + "/" + n.getItemsTotal() + " items" : "";
    return String.format(
            Locale.ROOT,
            "%-" + Math.max(width, 4) + "s  %-9s  %-8s  %8s  %9s%s%s",
            n.getNodeId(),
            n.getState(),
            n.getWorkerId().isEmpty() ? "-" : n.getWorkerId(),
            n.getAttempts() == 0
                ? "-"
                : n.getAttempts() + (n.getAttempts() == 1 ? " attempt" : " attempts"),
            n.hasDuration() ? duration(millis(n.getDuration())) : "",
            items,
            n.hasError() ? "  " + n.getError().getType() + ": " + n.getError().getMessage() : "")
        .stripTrailing();
  }

  /** {@code 12 10:00:01.234Z node.completed b w2 #1 12 ms detail}. */
  static String step(HistoryEvent e) {
    StringBuilder b =
        new StringBuilder()
            .append(e.getSeq())
            .append("  ")
            .append(Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos()))
            .append("  ")
            .append(e.getType());
    if (!e.getNodeId().isEmpty()) {
      b.append("  ").append(e.getNodeId());
    }
    if (!e.getWorkerId().isEmpty()) {
      b.append("  on ").append(e.getWorkerId());
    }
    if (e.getAttempt() > 0) {
      b.append("  attempt ").append(e.getAttempt());
    }
    if (e.hasDuration()) {
      b.append("  ").append(duration(millis(e.getDuration())));
    }
    if (!e.getDetail().isEmpty()) {
      b.append("  ").append(e.getDetail());
    }
    return b.toString();
  }
}

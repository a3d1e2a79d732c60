package io.sluice.model.asl;

import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.LoopNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Wait whose end is known only when it starts (SecondsPath, Timestamp, TimestampPath). Sluice's
 * wait nodes have a static length, so the state becomes a loop: each pass waits the longest of 1 h,
 * 1 min, 1 s, 100 ms and 10 ms that does not go past the deadline (a switch picks it), until the
 * deadline (jq {@code now}, the host's clock) is reached. A wait of d seconds takes about d/3600 +
 * 59 + 59 + 9 + 9 passes at most, and ends within 10 ms after its deadline.
 */
final class AslTimedWait {
  private static final long[] STEPS_MS = {3_600_000, 60_000, 1_000, 100, 10};
  static final int MAX_PASSES = 1_000_000;

  private AslTimedWait() {}

  /**
   * The loop node for state {@code name}; {@code deadline} is jq over the effective input giving
   * the end as epoch seconds.
   */
  static Node loop(
      String name, String inputPath, String deadline, String outputPath, NodeOptions o) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    List<SwitchNode.Case> cases = new ArrayList<>();
    for (long ms : STEPS_MS) {
      String id = "~wait" + ms + "ms";
      nodes.put(id, new WaitNode(id, Duration.ofMillis(ms), null));
      cases.add(new SwitchNode.Case(Expr.of("(.until - now) >= " + (ms / 1000.0)), id));
      edges.add(new Edge("~pick", id, Edge.Kind.BRANCH));
    }
    nodes.put("~due", new PassNode("~due", null));
    edges.add(new Edge("~pick", "~due", Edge.Kind.BRANCH));
    Map<String, Node> body = new LinkedHashMap<>();
    body.put("~pick", new SwitchNode("~pick", cases, "~due", null));
    body.putAll(nodes);
    WorkflowGraph g =
        new WorkflowGraph(name + "~wait", "1", body, edges, List.of("~pick"), Map.of(), null, null);
    String in =
        "("
            + inputPath
            + ") as $raw | ($raw | "
            + deadline
            + ") as $until | if ($until | type) != \"number\" then error(\"States.Runtime: the"
            + " wait's end is not a number of seconds or a timestamp\") else {raw: $raw, until:"
            + " $until} end";
    String out = AslDataFlow.pipe(".raw", outputPath);
    return new LoopNode(
        name,
        g,
        Expr.of("(.until - now) >= 0.005"),
        MAX_PASSES,
        o.withInput(new Expr(in, o.location())).withOutput(new Expr(out, o.location())));
  }
}

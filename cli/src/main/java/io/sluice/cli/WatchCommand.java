package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.NodeRun;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice watch ID}: follows an instance node by node until it ends. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Follows an instance live: a table of its nodes (state, worker, attempts, duration), redrawn"
          + " in a terminal, or each change on a line of its own when the output is not a"
          + " terminal; ends with the instance's state line.",
      "Exit 0 when it succeeded, 1 when it failed or was cancelled, 2 when unknown or unreachable."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(
      names = "--plain",
      description = "print changes line by line even in a terminal (no redrawing)")
  boolean plain;

  private final Map<String, NodeRun> table = new LinkedHashMap<>();
  private int drawn;

  @Override
  public Integer call() {
    var cl = spec.commandLine();
    // a terminal: stdin and stdout are one (System.console()), and it understands ANSI moves
    String term = System.getenv("TERM");
    boolean redraw = !plain && System.console() != null && term != null && !term.equals("dumb");
    PrintWriter out = cl.getOut();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        Iterator<InstanceUpdate> updates =
            c.stub(true).watchInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
        InstanceStatus last = null;
        boolean first = true;
        while (updates.hasNext()) {
          InstanceUpdate u = updates.next();
          if (u.hasStatus()) {
            last = u.getStatus();
            u.getStatus().getNodesList().forEach(n -> table.put(n.getNodeId(), n));
          }
          if (u.hasNode()) {
            table.put(u.getNode().getNodeId(), u.getNode());
          }
          if (redraw) {
            draw(out);
          } else if (first) {
            table.values().forEach(n -> out.println(InstanceLines.node(n, width())));
          } else if (u.hasNode()) {
            out.println(InstanceLines.node(u.getNode(), width()));
          } else if (u.hasStep()) {
            out.println(InstanceLines.step(u.getStep()));
          }
          out.flush();
          first = false;
        }
        if (last == null) {
          cl.getErr().println("sluice: the master sent nothing about instance " + id);
          return Main.EXIT_INVALID;
        }
        out.println(InstanceLines.state(last));
        if (last.hasError()) {
          var e = last.getError();
          boolean node = !e.getNodeId().isEmpty() && !e.getNodeId().equals("-");
          cl.getErr()
              .println(
                  "sluice: "
                      + (node ? "node '" + e.getNodeId() + "' failed with " : "")
                      + e.getType()
                      + ": "
                      + e.getMessage());
        }
        return last.getState() == InstanceState.INSTANCE_STATE_SUCCEEDED ? 0 : Main.EXIT_FAILED;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }

  private int width() {
    return table.keySet().stream().mapToInt(String::length).max().orElse(4);
  }

  /** Redraws the table in place (ANSI: up over the last drawing, clear each line). */
  private void draw(PrintWriter out) {
    StringBuilder b = new StringBuilder();
    if (drawn > 0) {
      b.append("\033[").append(drawn).append('A');
    }
    for (NodeRun n : table.values()) {
      b.append("\033[2K").append(InstanceLines.node(n, width())).append('\n');
    }
    drawn = table.size();
    out.print(b);
  }
}

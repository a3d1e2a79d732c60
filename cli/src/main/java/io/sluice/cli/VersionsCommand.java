package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.WorkflowSummary;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice versions NAME [--json]}: every registered version of a workflow. */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every registered version of a workflow, retired ones too: one line each, the version"
          + " first, then active|retired, its running instances, nodes and when it was"
          + " registered.",
      "Exit 0 when the master answered (also when it knows no version: nothing is printed, a"
          + " note goes to stderr), 2 for an unreachable master."
    })
final class VersionsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "NAME", description = "the workflow's name")
  String name;

  @Option(names = "--json", description = "print one JSON array of the versions")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      List<WorkflowSummary> versions;
      try {
        versions =
            c
                .stub(false)
                .listWorkflows(
                    ListWorkflowsRequest.newBuilder()
                        .setNamePrefix(name)
                        .setAllVersions(true)
                        .setIncludeRetired(true)
                        .build())
                .getWorkflowsList()
                .stream()
                .filter(w -> w.getWorkflow().getName().equals(name))
                .toList();
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
      if (json) {
        ArrayNode a = Inputs.JSON.createArrayNode();
        versions.forEach(w -> a.add(json(w)));
        cl.getOut().println(Inputs.JSON.writeValueAsString(a));
      } else {
        versions.forEach(w -> cl.getOut().println(line(w)));
      }
      if (versions.isEmpty()) {
        cl.getErr().println("sluice: no version of workflow '" + name + "' is registered");
      }
      return 0;
    }
  }

  private static String registered(WorkflowSummary w) {
    return Instant.ofEpochSecond(w.getRegistered().getSeconds(), w.getRegistered().getNanos())
        .toString();
  }

  static String line(WorkflowSummary w) {
    return w.getWorkflow().getVersion()
        + "  "
        + (w.getRetired() ? "retired" : "active")
        + "  running="
        + w.getRunningInstances()
        + "  nodes="
        + w.getNodeCount()
        + "  registered="
        + registered(w);
  }

  private static ObjectNode json(WorkflowSummary w) {
    ObjectNode o = Inputs.JSON.createObjectNode();
    o.put("name", w.getWorkflow().getName());
    o.put("version", w.getWorkflow().getVersion());
    o.put("retired", w.getRetired());
    o.put("runningInstances", w.getRunningInstances());
    o.put("nodes", w.getNodeCount());
    ArrayNode entries = o.putArray("entryNodes");
    w.getEntryNodesList().forEach(entries::add);
    o.put("registered", registered(w));
    return o;
  }
}

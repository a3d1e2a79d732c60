package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.master.api.ApiJson;
import io.sluice.master.api.MasterApi;
import io.sluice.proto.InstanceSummary;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.WorkflowSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice list workflows|instances}: what the master knows, one line per item. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the registered workflows, or the instances the master knows (running ones and the"
          + " most recent finished ones, newest first), one line per item.",
      "An instance's line starts with its id. Exit 0, or 2 for an unreachable master."
    })
final class ListCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "WHAT", description = "workflows or instances")
  String what;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      description =
          "instances in this state only (running, succeeded, failed, cancelled; may repeat)")
  List<String> states = new ArrayList<>();

  @Option(
      names = "--workflow",
      paramLabel = "NAME[@VERSION]",
      description = "instances of this workflow only, or workflows whose name starts so")
  String workflow;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "at most N items (default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "print one JSON object, as the master's /api does")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    if (!what.equals("workflows") && !what.equals("instances")) {
      throw new CommandLine.ParameterException(
          cl, "WHAT must be workflows or instances, got '" + what + "'");
    }
    if (limit < 1) {
      throw new CommandLine.ParameterException(cl, "--limit must be at least 1, got " + limit);
    }
    ListInstancesRequest.Builder req = ListInstancesRequest.newBuilder();
    try {
      for (String s : states) {
        req.addStates(MasterApi.state(s));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--state: " + e.getMessage());
    }
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        return what.equals("workflows") ? workflows(cl, c) : instances(cl, c, req);
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }

  private int workflows(CommandLine cl, MasterConnection c) throws Exception {
    String prefix = workflow == null ? "" : workflow;
    List<WorkflowSummary> all =
        c.stub(false)
            .listWorkflows(
                ListWorkflowsRequest.newBuilder()
                    .setNamePrefix(prefix)
                    .setAllVersions(true)
                    .setIncludeRetired(true)
                    .build())
            .getWorkflowsList();
    List<WorkflowSummary> shown = all.subList(0, Math.min(limit, all.size()));
    if (json) {
      var out = Inputs.JSON.createObjectNode();
      ArrayNode list = out.putArray("workflows");
      for (WorkflowSummary w : shown) {
        list.addObject()
            .put("name", w.getWorkflow().getName())
            .put("version", w.getWorkflow().getVersion())
            .put("nodes", w.getNodeCount())
            .put("registered", ApiJson.time(w.hasRegistered(), w.getRegistered()))
            .put("retired", w.getRetired())
            .put("running", w.getRunningInstances())
            .put("schedule", w.getSchedule())
            .put("nextFire", ApiJson.time(w.hasNextFire(), w.getNextFire()));
      }
      cl.getOut().println(Inputs.JSON.writeValueAsString(out));
      return 0;
    }
    for (WorkflowSummary w : shown) {
      cl.getOut()
          .println(
              InstanceLines.ref(w.getWorkflow())
                  + "  "
                  + w.getNodeCount()
                  + " nodes  "
                  + w.getRunningInstances()
                  + " running  registered "
                  + Instant.ofEpochSecond(w.getRegistered().getSeconds())
                  + (w.getRetired() ? "  retired" : "")
                  + schedule(w));
    }
    return 0;
  }

  /** {@code schedule every PT1H, next 2026-…Z}, or nothing when no schedule is armed for it. */
  private static String schedule(WorkflowSummary w) {
    if (w.getSchedule().isEmpty()) {
      return "";
    }
    return "  schedule "
        + w.getSchedule()
        + (w.hasNextFire()
            ? ", next "
                + Instant.ofEpochSecond(w.getNextFire().getSeconds(), w.getNextFire().getNanos())
            : "");
  }

  private int instances(CommandLine cl, MasterConnection c, ListInstancesRequest.Builder req)
      throws Exception {
    if (workflow != null) {
      req.setWorkflow(workflow);
    }
    List<InstanceSummary> got = new ArrayList<>();
    String token = "";
    do {
      var page =
          c.stub(false)
              .listInstances(
                  req.setPageSize(Math.min(1000, limit - got.size())).setPageToken(token).build());
      got.addAll(page.getInstancesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && got.size() < limit);
    if (json) {
      var out = Inputs.JSON.createObjectNode();
      ArrayNode list = out.putArray("instances");
      got.forEach(s -> list.add(ApiJson.summary(s)));
      out.put("nextPageToken", token);
      cl.getOut().println(Inputs.JSON.writeValueAsString(out));
      return 0;
    }
    got.forEach(s -> cl.getOut().println(InstanceLines.state(s)));
    return 0;
  }
}

package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.master.api.ApiJson;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.LogEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice logs ID}: the output logs of an instance's invocations. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the logs an instance's invocations left, gathered from the workers that ran them:"
          + " process functions' stderr and java functions' log lines (bounded; container"
          + " functions' logs are not captured per call).",
      "Workers that did not answer are named on stderr. Exit 0, or 2 for an unknown instance or"
          + " an unreachable master."
    })
final class LogsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(names = "--node", paramLabel = "NODE", description = "this node's invocations only")
  String node;

  @Option(names = "--json", description = "print one JSON object, as the master's /api does")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        GetLogsRequest.Builder req = GetLogsRequest.newBuilder().setInstanceId(id);
        if (node != null) {
          req.setNodeId(node);
        }
        GetLogsResponse r = c.stub(false).getLogs(req.build());
        if (json) {
          cl.getOut().println(Inputs.JSON.writeValueAsString(ApiJson.logs(r)));
          return 0;
        }
        for (LogEntry e : r.getEntriesList()) {
          cl.getOut()
              .println(
                  "== "
                      + e.getNodeId()
                      + (e.getItem() > 0 ? "[" + (e.getItem() - 1) + "]" : "")
                      + " attempt "
                      + e.getAttempt()
                      + " on "
                      + e.getWorkerId()
                      + " ("
                      + e.getRuntime()
                      + " "
                      + e.getStream()
                      + (e.getTruncated() ? ", only its end" : "")
                      + ")");
          String text = e.getText();
          cl.getOut().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
        if (r.getEntriesCount() == 0) {
          cl.getErr()
              .println("sluice: no logs of instance " + id + (node == null ? "" : " node " + node));
        }
        if (r.getUnreachableWorkersCount() > 0) {
          cl.getErr()
              .println(
                  "sluice: these workers did not answer, their logs are missing: "
                      + String.join(", ", r.getUnreachableWorkersList()));
        }
        return 0;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

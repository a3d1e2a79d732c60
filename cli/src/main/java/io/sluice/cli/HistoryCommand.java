package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.master.api.ApiJson;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetHistoryResponse;
import io.sluice.proto.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice history ID}: an instance's steps, in order. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Prints an instance's history as the master recorded it, one step a line: its start, each"
          + " node's start, end, retries and waits, events it received, parts moved, its end.",
      "Exit 0, or 2 for an unknown instance or an unreachable master."
    })
final class HistoryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "ID", description = "the instance id")
  String id;

  @Option(names = "--json", description = "print one JSON object, as the master's /api does")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        List<HistoryEvent> events = new ArrayList<>();
        GetHistoryResponse page;
        long after = 0;
        do {
          page =
              c.stub(false)
                  .getHistory(
                      GetHistoryRequest.newBuilder()
                          .setInstanceId(id)
                          .setAfterSeq(after)
                          .setPageSize(5000)
                          .build());
          events.addAll(page.getEventsList());
          after = page.getLastSeq();
        } while (page.getMore());
        if (json) {
          var all = page.toBuilder().clearEvents().addAllEvents(events).build();
          cl.getOut().println(Inputs.JSON.writeValueAsString(ApiJson.history(all)));
          return 0;
        }
        if (page.getDropped() > 0) {
          cl.getOut()
              .println(
                  "("
                      + page.getDropped()
                      + " earlier steps were not kept: the master keeps a bounded history)");
        }
        events.forEach(e -> cl.getOut().println(InstanceLines.step(e)));
        return 0;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }
}

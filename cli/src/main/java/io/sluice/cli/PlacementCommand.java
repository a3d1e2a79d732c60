package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.StatusRuntimeException;
import io.sluice.client.Inputs;
import io.sluice.proto.GetPlacementRequest;
import io.sluice.proto.NodePlacement;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice placement --master HOST:PORT FILE}: where the cluster would run each node. */
@Command(
    name = "placement",
    mixinStandardHelpOptions = true,
    description = {
      "Shows where the master would run each node of a workflow on its live workers.",
      "Prints node -> worker, the edges that cross workers and the bytes they carry. Exit 2 for an"
          + " invalid definition or an unreachable master."
    })
final class PlacementCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "FILE", description = "the workflow definition")
  Path file;

  @Option(
      names = "--partitioner",
      paramLabel = "hash|critical-path",
      description = "the partitioner (default: the master's configured one)")
  String partitioner;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cl = spec.commandLine();
    var req =
        GetPlacementRequest.newBuilder().setSource(io.sluice.client.Submissions.source(cl, file));
    if (partitioner != null) {
      req.setPartitioner(partitioner);
    }
    try (MasterConnection c = new MasterConnection(cl, master)) {
      NodePlacement p;
      try {
        p = c.stub(false).getPlacement(req.build());
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
      ObjectNode o = Inputs.JSON.createObjectNode();
      o.put("partitioner", p.getPartitioner());
      ObjectNode nodes = o.putObject("nodes");
      p.getAssignmentsList().forEach(a -> nodes.put(a.getNodeId(), a.getWorkerId()));
      ObjectNode per = o.putObject("nodesPerWorker");
      new java.util.TreeMap<>(p.getNodesPerWorkerMap()).forEach(per::put);
      o.put("crossWorkerEdges", p.getCrossWorkerEdges());
      o.put("crossWorkerBytes", p.getCrossWorkerBytes());
      if (json) {
        cl.getOut().println(Inputs.JSON.writeValueAsString(o));
      } else {
        cl.getOut().println(Inputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
      }
      return 0;
    }
  }
}

package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.data.DataPlane;
import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.PassNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Worker w1's part of a two-node pass chain {@code a -> b} placed as a test says, over a data plane
 * the test controls: the edge events it sends and the part result it reports are recorded.
 */
final class PassChainPart implements AutoCloseable {
  final List<EdgeEvent> sent = new CopyOnWriteArrayList<>();
  final CompletableFuture<PartResult> finished = new CompletableFuture<>();
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()));
  private final PartitionedEngine engine;

  /**
   * Deploys {@code a -> b} with {@code placement} on w1 and starts instance i-1 with {@code input}.
   */
  PassChainPart(String name, DataPlane data, Map<String, String> placement, JsonNode input) {
    EventRouter router =
        new EventRouter() {
          @Override
          public void send(String workerId, EdgeEvent event) {
            sent.add(event);
          }

          @Override
          public void partFinished(PartResult result) {
            finished.complete(result);
          }
        };
    engine =
        new PartitionedEngine("w1", EngineOptions.of(runtimes).withThreads(1), router, List.of());
    engine.dataPlane(data);
    Map<String, Node> nodes = new LinkedHashMap<>();
    nodes.put("a", new PassNode("a", null));
    nodes.put("b", new PassNode("b", null));
    WorkflowGraph g =
        new WorkflowGraph(
            name, "1", nodes, List.of(Edge.next("a", "b")), List.of(), Map.of(), null, null);
    WorkflowKey key = new WorkflowKey(name, "1");
    engine.deploy(key, g, placement, Binding.defaults());
    engine.start("i-1", key, input);
  }

  @Override
  public void close() {
    engine.close();
    runtimes.close();
  }
}

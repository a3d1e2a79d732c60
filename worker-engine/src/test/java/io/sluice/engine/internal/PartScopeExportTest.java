package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.Transfers;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A part's result waits for its export (EXPORT, then EXPORTED) before its remote edge leaves. */
class PartScopeExportTest {
  /** The inline data plane, except that exports finish when the test says so. */
  private static final class SlowExports implements DataPlane {
    private final DataPlane inline = DataPlane.inline();
    final CompletableFuture<JsonNode> export = new CompletableFuture<>();
    volatile boolean asked;

    @Override
    public boolean storesLocalValues() {
      return false;
    }

    @Override
    public CompletionStage<JsonNode> export(
        String instanceId, String nodeId, JsonNode value, Set<String> consumerWorkers) {
      asked = true;
      return export;
    }

    @Override
    public CompletionStage<JsonNode> resolve(String instanceId, JsonNode payload) {
      return inline.resolve(instanceId, payload);
    }

    @Override
    public boolean isReference(JsonNode payload) {
      return inline.isReference(payload);
    }

    @Override
    public void countLocal(String instanceId, JsonNode value) {
      inline.countLocal(instanceId, value);
    }

    @Override
    public Transfers transfers(String instanceId) {
      return inline.transfers(instanceId);
    }

    @Override
    public CompletionStage<Void> release(String instanceId) {
      return inline.release(instanceId);
    }
  }

  @Test
  void aResultBoundForAnotherWorkerLeavesOnceExported() throws Exception {
    List<EdgeEvent> sent = new CopyOnWriteArrayList<>();
    CompletableFuture<PartResult> finished = new CompletableFuture<>();
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
    ManualScheduler clock = new ManualScheduler();
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(clock));
    SlowExports data = new SlowExports();
    try (PartitionedEngine w1 =
        new PartitionedEngine("w1", EngineOptions.of(rt).withThreads(1), router, List.of())) {
      w1.dataPlane(data);
      Map<String, Node> nodes = new LinkedHashMap<>();
      nodes.put("a", new PassNode("a", null));
      nodes.put("b", new PassNode("b", null));
      WorkflowGraph g =
          new WorkflowGraph(
              "export", "1", nodes, List.of(Edge.next("a", "b")), List.of(), Map.of(), null, null);
      WorkflowKey key = new WorkflowKey("export", "1");
      w1.deploy(key, g, Map.of("a", "w1", "b", "w2"), Binding.defaults());
      w1.start("i-1", key, IntNode.valueOf(1));
      org.awaitility.Awaitility.await().until(() -> data.asked);
      assertThat(sent).isEmpty();
      assertThat(finished).isNotDone();
      data.export.complete(TextNode.valueOf("ref-to-a"));
      PartResult r = finished.get(10, TimeUnit.SECONDS);
      assertThat(r.state()).isEqualTo(InstanceState.COMPLETED);
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).payload().asText()).isEqualTo("ref-to-a");
    }
  }
}

package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A data plane that sends every value through its store (the remote-store baseline) hands even a
 * consumer on the same worker a reference: the edge goes BY_REFERENCE to FETCHING, and is resolved
 * (FETCHED) with the value once the store gives it back, at a time the test chooses.
 */
class PartScopeFetchTest {
  /** Stores every exported value under a reference; fetches finish when the test says so. */
  private static final class ReferenceStore implements DataPlane {
    private final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    final CompletableFuture<Void> fetchMayFinish = new CompletableFuture<>();
    volatile boolean fetchAsked;

    @Override
    public boolean storesLocalValues() {
      return true;
    }

    @Override
    public CompletionStage<JsonNode> export(
        String instanceId, String nodeId, JsonNode value, Set<String> consumerWorkers) {
      String ref = instanceId + "/" + nodeId;
      stored.put(ref, value);
      return CompletableFuture.completedFuture(
          JsonNodeFactory.instance.objectNode().put("$ref", ref));
    }

    @Override
    public CompletionStage<JsonNode> resolve(String instanceId, JsonNode payload) {
      if (!isReference(payload)) {
        return CompletableFuture.completedFuture(payload);
      }
      fetchAsked = true;
      return fetchMayFinish.thenApply(v -> stored.get(payload.get("$ref").asText()));
    }

    @Override
    public boolean isReference(JsonNode payload) {
      return payload != null && payload.isObject() && payload.has("$ref");
    }

    @Override
    public void countLocal(String instanceId, JsonNode value) {}

    @Override
    public Transfers transfers(String instanceId) {
      return Transfers.NONE;
    }

    @Override
    public CompletionStage<Void> release(String instanceId) {
      stored.keySet().removeIf(k -> k.startsWith(instanceId + "/"));
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void aLocalConsumerOfAStoredValueFetchesItBeforeItsEdgeResolves() throws Exception {
    CompletableFuture<PartResult> finished = new CompletableFuture<>();
    EventRouter router =
        new EventRouter() {
          @Override
          public void send(String workerId, EdgeEvent event) {
            throw new AssertionError("every node is on w1, nothing leaves: " + event);
          }

          @Override
          public void partFinished(PartResult result) {
            finished.complete(result);
          }
        };
    ManualScheduler clock = new ManualScheduler();
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(clock));
    ReferenceStore data = new ReferenceStore();
    try (PartitionedEngine w1 =
        new PartitionedEngine("w1", EngineOptions.of(rt).withThreads(1), router, List.of())) {
      w1.dataPlane(data);
      Map<String, Node> nodes = new LinkedHashMap<>();
      nodes.put("a", new PassNode("a", null));
      nodes.put("b", new PassNode("b", null));
      WorkflowGraph g =
          new WorkflowGraph(
              "fetch", "1", nodes, List.of(Edge.next("a", "b")), List.of(), Map.of(), null, null);
      WorkflowKey key = new WorkflowKey("fetch", "1");
      w1.deploy(key, g, Map.of("a", "w1", "b", "w1"), Binding.defaults());
      w1.start("i-1", key, IntNode.valueOf(7));
      org.awaitility.Awaitility.await().until(() -> data.fetchAsked);
      assertThat(finished).isNotDone();
      data.fetchMayFinish.complete(null);
      PartResult r = finished.get(10, TimeUnit.SECONDS);
      assertThat(r.state()).as(String.valueOf(r.error())).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.sinkOutputs().get("b")).isEqualTo(IntNode.valueOf(7));
    }
  }
}

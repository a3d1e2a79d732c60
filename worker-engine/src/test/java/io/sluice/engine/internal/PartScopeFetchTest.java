package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.Transfers;
import io.sluice.engine.data.DataPlane;
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
 * (FETCHED) with the value once the store gives it back, at a time the test chooses. Every node is
 * on w1, so no edge event leaves.
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
    ReferenceStore data = new ReferenceStore();
    try (PassChainPart w1 =
        new PassChainPart("fetch", data, Map.of("a", "w1", "b", "w1"), IntNode.valueOf(7))) {
      org.awaitility.Awaitility.await().until(() -> data.fetchAsked);
      assertThat(w1.finished).isNotDone();
      data.fetchMayFinish.complete(null);
      PartResult r = w1.finished.get(10, TimeUnit.SECONDS);
      assertThat(r.state()).as(String.valueOf(r.error())).isEqualTo(InstanceState.COMPLETED);
      assertThat(r.sinkOutputs().get("b")).isEqualTo(IntNode.valueOf(7));
      assertThat(w1.sent).isEmpty();
    }
  }
}

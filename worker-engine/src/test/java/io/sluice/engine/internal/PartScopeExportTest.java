package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.Transfers;
import io.sluice.engine.data.DataPlane;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    SlowExports data = new SlowExports();
    try (PassChainPart w1 =
        new PassChainPart("export", data, Map.of("a", "w1", "b", "w2"), IntNode.valueOf(1))) {
      org.awaitility.Awaitility.await().until(() -> data.asked);
      assertThat(w1.sent).isEmpty();
      assertThat(w1.finished).isNotDone();
      data.export.complete(TextNode.valueOf("ref-to-a"));
      PartResult r = w1.finished.get(10, TimeUnit.SECONDS);
      assertThat(r.state()).isEqualTo(InstanceState.COMPLETED);
      assertThat(w1.sent).hasSize(1);
      assertThat(w1.sent.get(0).payload().asText()).isEqualTo("ref-to-a");
    }
  }
}

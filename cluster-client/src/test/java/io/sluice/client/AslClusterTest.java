package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.ExecutionMode;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ASL example (examples/asl/order.asl.json) on a master and two workers in this JVM, in worker
 * mode: the graph the importer builds runs on the cluster as it does embedded.
 */
@IntegrationTest // a master and two workers over gRPC on loopback; process functions
class AslClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theAslExampleRunsInWorkerMode() throws Exception {
    Path dir = Path.of("..", "examples", "asl");
    String flow = Files.readString(dir.resolve("order.asl.json"));
    String registry = Files.readString(dir.resolve("functions.json"));
    JsonNode input = JSON.readTree(dir.resolve("input.json").toFile());
    try (LocalCluster cluster = new LocalCluster(2)) {
      WorkflowKey key =
          cluster
              .master()
              .registerWorkflow("order.asl.json", flow, "", registry, "functions.json")
              .workflow()
              .key();
      var end =
          cluster
              .master()
              .invoke(key, input, ExecutionMode.WORKER, null, "asl1")
              .done()
              .get(60, TimeUnit.SECONDS);
      assertThat(end.state()).as("%s", end).isEqualTo(InstanceState.COMPLETED);
      assertThat(end.output().path("customer").asText()).isEqualTo("ADA");
      assertThat(end.output().path("summary"))
          .isEqualTo(JSON.readTree("{\"lines\": 2, \"message\": \"Order for ADA\"}"));
      assertThat(end.output().path("lines"))
          .isEqualTo(
              JSON.readTree(
                  "[{\"sku\": \"a1\", \"reserved\": 2, \"id\": \"a1-0\"},"
                      + " {\"sku\": \"b2\", \"reserved\": 0}]"));
    }
  }
}

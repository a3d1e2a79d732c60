package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A workflow whose nodes produce real payloads (synthetic, --data-scale 1) on a 3-worker cluster in
 * each store mode: identical outputs, and the bytes each mode moved in memory, between workers and
 * through Redis.
 */
@IntegrationTest // a 3-worker cluster in this JVM; Redis for the redis mode
class StoreModesTest {

  private static JsonNode run(String store, String... extra) throws Exception {
    String genome = CliTest.CORPUS.resolve("faasflow/genome/flat_workflow.yaml").toString();
    String[] base = {
      "run",
      genome,
      "--synthetic",
      "--time-scale",
      "0",
      "--data-scale",
      "1",
      "--workers",
      "3",
      "--store",
      store,
      "--json"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    CliTest.Result r = CliTest.sluice(args);
    assertThat(r.exit()).as(store + ": " + r.err() + r.out()).isZero();
    return r.json();
  }

  @Test
  void everyStoreModeGivesTheSameOutputAndReportsTheBytesItMoved() throws Exception {
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    runs.put("memory", run("memory"));
    runs.put("tiered", run("tiered"));
    String redis = System.getenv("SLUICE_REDIS_URI");
    if (redis == null && !"true".equals(System.getenv("CI"))) {
      System.out.println("SLUICE_REDIS_URI not set: the redis mode is not run");
    } else {
      assertThat(redis).as("CI must provide SLUICE_REDIS_URI (scripts/test.sh does)").isNotNull();
      runs.put("redis", run("redis", "--redis", redis));
    }
    JsonNode first = runs.get("memory");
    runs.forEach(
        (mode, j) -> {
          assertThat(j.get("status").asText()).isEqualTo("completed");
          assertThat(j.get("output")).as(mode).isEqualTo(first.get("output"));
          assertThat(j.get("nodesExecuted").asInt()).isEqualTo(50);
          System.out.printf(
              "genome --data-scale 1 --store %s: %s ms, bytes moved %s%n",
              mode, j.get("elapsedMs"), j.get("bytesMoved"));
        });
    JsonNode tiered = runs.get("tiered").get("bytesMoved");
    assertThat(tiered.get("local").asLong()).isPositive();
    assertThat(tiered.get("peer").asLong()).isPositive();
    assertThat(tiered.get("redis").asLong()).isZero();
    if (runs.containsKey("redis")) {
      JsonNode r = runs.get("redis").get("bytesMoved");
      assertThat(r.get("redis").asLong()).isGreaterThan(tiered.get("peer").asLong());
      assertThat(r.get("peer").asLong()).isZero();
    }
  }
}

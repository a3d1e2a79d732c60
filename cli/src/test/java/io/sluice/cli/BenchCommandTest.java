package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.CliTest.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice bench store}, in-process, with small sizes. */
class BenchCommandTest {

  @Test
  void storeBenchPrintsAJsonRowPerModeAndSize() throws Exception {
    List<String> args = new ArrayList<>(List.of("bench", "store", "--sizes", "1KB,64KB", "--json"));
    String redis = System.getProperty("SLUICE_REDIS_URI", System.getenv("SLUICE_REDIS_URI"));
    boolean withRedis = redis != null && !redis.isBlank();
    if (withRedis) {
      args.addAll(List.of("--redis", redis.trim()));
    }
    Result r = sluice(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode rows = r.json();
    assertThat(rows.isArray()).isTrue();
    List<String> seen = new ArrayList<>();
    for (JsonNode row : rows) {
      assertThat(row.size()).as(row.toString()).isEqualTo(3);
      assertThat(row.get("mbPerSec").isNumber()).as(row.toString()).isTrue();
      assertThat(row.get("mbPerSec").asDouble()).isPositive();
      seen.add(row.get("mode").asText() + " " + row.get("size").asText());
    }
    List<String> expected =
        new ArrayList<>(List.of("memory 1KB", "memory 64KB", "peer 1KB", "peer 64KB"));
    if (withRedis) {
      expected.addAll(List.of("redis 1KB", "redis 64KB"));
    } else {
      assertThat(r.err()).contains("no --redis given");
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void storeBenchPrintsATableByDefault() {
    Result r = sluice("bench", "store", "--sizes", "1KB");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("mode").contains("MB/s").contains("memory").contains("peer");
  }

  @Test
  void badSizesExitTwoAndSayWhy() {
    Result r = sluice("bench", "store", "--sizes", "1KB,lots");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad size 'lots'");
    assertThat(sluice("bench", "store", "--sizes", "0KB").exit()).isEqualTo(2);
    Result uri = sluice("bench", "store", "--sizes", "1KB", "--redis", "http://x");
    assertThat(uri.exit()).isEqualTo(2);
    assertThat(uri.err()).contains("redis://HOST:PORT");
  }
}

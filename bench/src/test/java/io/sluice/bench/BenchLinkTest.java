package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.BenchCommandTest.Result;
import io.sluice.testing.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice bench link}, in-process, with few round trips and a small transfer. */
@IntegrationTest // TCP and gRPC servers and relays on loopback
class BenchLinkTest {

  @Test
  void linkBenchPrintsJsonRowsThatRespectTheModelsLowerBounds() throws Exception {
    Result r =
        BenchCommandTest.sluice(
            "bench",
            "link",
            "--latency",
            "2ms",
            "--bandwidth",
            "20MB/s",
            "--pings",
            "30",
            "--transfer",
            "2MB",
            "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (JsonNode row : r.json()) {
      rows.put(row.get("measure").asText(), row);
      assertThat(row.get("latency").asText()).isEqualTo("2ms");
      assertThat(row.get("bandwidth").asText()).isEqualTo("20MB/s");
    }
    assertThat(rows)
        .containsOnlyKeys(
            "tcp round trip",
            "tcp round trip less direct",
            "grpc round trip",
            "grpc round trip, direct",
            "transfer 2MB",
            "tcp round trip, direct",
            "tcp round trip, plain relay",
            "plain relay's own cost");
    JsonNode tcp = rows.get("tcp round trip");
    assertThat(tcp.get("configured").asDouble()).isEqualTo(4.0);
    assertThat(tcp.get("median").asDouble()).isGreaterThanOrEqualTo(4.0);
    assertThat(tcp.get("p99").asDouble()).isGreaterThanOrEqualTo(tcp.get("median").asDouble());
    assertThat(rows.get("grpc round trip").get("median").asDouble()).isGreaterThanOrEqualTo(4.0);
    JsonNode transfer = rows.get("transfer 2MB");
    assertThat(transfer.get("unit").asText()).isEqualTo("MB/s");
    assertThat(transfer.get("configured").asDouble()).isEqualTo(20.0);
    // never faster than the bandwidth (the figure is rounded to three decimals)
    assertThat(transfer.get("median").asDouble()).isPositive().isLessThanOrEqualTo(20.001);
    assertThat(rows.get("plain relay's own cost").get("p99").isNull()).isTrue();
  }

  @Test
  void linkBenchPrintsATableByDefault() {
    Result r =
        BenchCommandTest.sluice(
            "bench", "link", "--latency", "0s", "--pings", "20", "--transfer", "1MB");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("link: latency 0s, bandwidth unlimited")
        .contains("tcp round trip")
        .contains("plain relay's own cost");
  }

  @Test
  void badArgumentsExitTwoAndSayWhy() {
    Result latency = BenchCommandTest.sluice("bench", "link", "--latency", "-1ms");
    assertThat(latency.exit()).isEqualTo(2);
    assertThat(latency.err()).contains("bad duration '-1ms'");
    Result bandwidth = BenchCommandTest.sluice("bench", "link", "--bandwidth", "fast");
    assertThat(bandwidth.exit()).isEqualTo(2);
    assertThat(bandwidth.err()).contains("bad bandwidth 'fast'");
    Result pings = BenchCommandTest.sluice("bench", "link", "--pings", "0");
    assertThat(pings.exit()).isEqualTo(2);
    assertThat(pings.err()).contains("--pings");
  }
}

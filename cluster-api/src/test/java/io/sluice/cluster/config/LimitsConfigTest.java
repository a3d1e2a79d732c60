package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.wire.WireLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code limits:} section: its defaults, every key, and its mistakes. */
class LimitsConfigTest {
  private static final String BASE =
      """
      name: t
      master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
      workers:
        - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
      """;

  private static ClusterConfig parse(String text) {
    return ClusterConfig.parse("c.yaml", text, Map.of());
  }

  private static List<String> problems(String text) {
    try {
      parse(text);
    } catch (ClusterConfigException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + text);
  }

  @Test
  void defaultsAreGenerous() {
    LimitsConfig l = parse(BASE).limits();
    assertThat(l).isEqualTo(LimitsConfig.DEFAULT);
    assertThat(l.definitionBytes()).isEqualTo(8L << 20);
    assertThat(l.nodes()).isEqualTo(100_000);
    assertThat(l.inputBytes()).isEqualTo(20L << 20);
    assertThat(l.eventsPerSecond()).isEqualTo(1_000);
    assertThat(l.eventBurst()).isEqualTo(2_000);
    assertThat(l.instancesPerWorkflow()).isZero();
    assertThat(l.heldEventsPerInstance()).isEqualTo(1_000);
    assertThat(l.grpcMessageBytes()).isEqualTo(WireLimits.MAX_MESSAGE_BYTES);
  }

  @Test
  void everyKeyCanBeSet() {
    LimitsConfig l =
        parse(
                BASE
                    + "limits: {definitionSize: 1MiB, nodes: 50, inputSize: 2KB, eventSize: 3KB,"
                    + " eventsPerSecond: 5, eventBurst: 7, instancesPerWorkflow: 2,"
                    + " grpcMessageSize: 16MiB, heldEventsPerInstance: 0}\n")
            .limits();
    assertThat(l).isEqualTo(new LimitsConfig(1 << 20, 50, 2000, 3000, 5, 7, 2, 16 << 20, 0));
  }

  @Test
  void mistakesAreNamedWithTheirKey() {
    assertThat(problems(BASE + "limits: {inputsize: 1KB}\n"))
        .singleElement()
        .asString()
        .contains("inputsize");
    assertThat(problems(BASE + "limits: {nodes: 0}\n"))
        .singleElement()
        .asString()
        .contains("'nodes'");
    assertThat(problems(BASE + "limits: {eventsPerSecond: -1}\n"))
        .singleElement()
        .asString()
        .contains("'eventsPerSecond'");
    assertThat(problems(BASE + "limits: {grpcMessageSize: 1KB}\n"))
        .singleElement()
        .asString()
        .contains("'grpcMessageSize' must be 1 MiB");
  }

  @Test
  void aRefusalNamesTheLimitItsValueTheSizeAndTheKey() {
    assertThat(LimitsConfig.refusal("input", 30, "inputSize", 20, "bytes"))
        .isEqualTo(
            "input of 30 bytes is over limits.inputSize (20 bytes); raise limits.inputSize in the"
                + " cluster config");
  }
}

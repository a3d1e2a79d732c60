package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code progress:} and {@code logs:} sections in each of their forms, and their mistakes. */
class ProgressConfigTest {
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
  void progressIsOnEvery200msWithRoomFor10000StepsByDefault() {
    ClusterConfig c = parse(BASE);
    assertThat(c.progress()).isEqualTo(ProgressConfig.DEFAULT);
    assertThat(c.progress().enabled()).isTrue();
    assertThat(c.progress().interval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.progress().buffer()).isEqualTo(10_000);
    assertThat(c.logs()).isEqualTo(LogsConfig.DEFAULT);
    assertThat(c.logs().entryBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void progressCanBeTurnedOffOrTuned() {
    assertThat(parse(BASE + "progress: off\n").progress().enabled()).isFalse();
    assertThat(parse(BASE + "progress: 'off'\n").progress().enabled()).isFalse();
    assertThat(parse(BASE + "progress: on\n").progress()).isEqualTo(ProgressConfig.DEFAULT);
    ProgressConfig p = parse(BASE + "progress: {interval: 50ms, buffer: 100}\n").progress();
    assertThat(p).isEqualTo(new ProgressConfig(true, Duration.ofMillis(50), 100));
  }

  @Test
  void logsCanBeBounded() {
    LogsConfig l = parse(BASE + "logs: {entrySize: 1KB, instances: 10, totalSize: 1MB}\n").logs();
    assertThat(l.entryBytes()).isEqualTo(1000);
    assertThat(l.instances()).isEqualTo(10);
    assertThat(l.totalBytes()).isEqualTo(1_000_000);
  }

  @Test
  void mistakesAreNamedWhereTheyAre() {
    assertThat(problems(BASE + "progress: sometimes\n"))
        .singleElement()
        .asString()
        .contains("'progress' must be off, on or a mapping");
    assertThat(problems(BASE + "progress: {interval: 0s}\n"))
        .singleElement()
        .asString()
        .contains("interval");
    assertThat(problems(BASE + "progress: {buffer: 0}\n"))
        .singleElement()
        .asString()
        .contains("buffer");
    assertThat(problems(BASE + "progress: {every: 1s}\n"))
        .singleElement()
        .asString()
        .contains("every");
    assertThat(problems(BASE + "logs: {entrySize: 2MB, totalSize: 1MB}\n"))
        .singleElement()
        .asString()
        .contains("'totalSize' must be at least entrySize");
    assertThat(problems(BASE + "logs: {instances: 0}\n"))
        .singleElement()
        .asString()
        .contains("instances");
  }
}

package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code sources:} and {@code events:} sections of a cluster file (with {@code http:}). */
class SourcesConfigTest {
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
  void withoutTheSectionsThereAreNoSourcesAndTheDefaultHolding() {
    ClusterConfig c = parse(BASE);
    assertThat(c.sources()).isEmpty();
    assertThat(c.events()).isEqualTo(EventsConfig.DEFAULT);
    assertThat(c.events().holdFor()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aRedisStreamSourceTakesItsDefaults() {
    ClusterConfig c =
        parse(
            BASE
                + "sources:\n  - {type: redis-stream, uri: 'redis://127.0.0.1:6379', stream: orders}\n");
    assertThat(c.sources())
        .containsExactly(SourceConfig.redisStream("redis://127.0.0.1:6379", "orders"));
    SourceConfig s = c.sources().get(0);
    assertThat(s.group()).isEqualTo("sluice");
    assertThat(s.deadLetter()).isEqualTo("orders.dead");
    assertThat(s.batch()).isEqualTo(64);
    assertThat(s.block()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.claimIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.format()).isEqualTo("cloudevent");
    assertThat(s.consumer()).isEmpty();
  }

  @Test
  void everyKeyIsRead() {
    ClusterConfig c =
        parse(
            BASE
                + """
                events: {holdFor: 5m, maxHeldPerType: 50, rememberIds: 0}
                sources:
                  - type: redis-stream
                    name: orders-eu
                    uri: rediss://cache:6380
                    stream: orders
                    group: g
                    consumer: m1
                    deadLetter: orders.bad
                    batch: 10
                    block: 250ms
                    claimIdle: 1m
                    format: data
                    eventType: order.placed
                """);
    assertThat(c.events()).isEqualTo(new EventsConfig(Duration.ofMinutes(5), 50, 0));
    assertThat(c.sources())
        .containsExactly(
            new SourceConfig(
                "orders-eu",
                "rediss://cache:6380",
                "orders",
                "g",
                Optional.of("m1"),
                "orders.bad",
                10,
                Duration.ofMillis(250),
                Duration.ofMinutes(1),
                "data",
                Optional.of("order.placed")));
  }

  @Test
  void httpEventsAndSourcesSectionsGoTogether() {
    ClusterConfig c =
        parse(
            BASE
                + """
                http: {maxBodySize: 1MiB, deliveryTimeout: 10s}
                events: {holdFor: 2m}
                sources:
                  - {type: redis-stream, uri: 'redis://127.0.0.1:6379', stream: orders}
                """);
    assertThat(c.http()).isEqualTo(new HttpConfig(1 << 20, Duration.ofSeconds(10)));
    assertThat(c.events().holdFor()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.sources()).extracting(SourceConfig::stream).containsExactly("orders");
    ClusterConfig built =
        new ClusterConfig(
            c.name(),
            null,
            c.master(),
            c.heartbeat(),
            c.partitioner(),
            c.store(),
            c.links(),
            c.workers());
    assertThat(built.http()).isEqualTo(HttpConfig.DEFAULT);
    assertThat(built.events()).isEqualTo(EventsConfig.DEFAULT);
    assertThat(built.sources()).isEmpty();
  }

  @Test
  void problemsAreNamedWithTheirLinesAllAtOnce() {
    assertThat(
            problems(
                BASE
                    + """
                    events: {holdFor: 0s, maxHeldPerType: -1, keep: 1}
                    sources:
                      - {type: kafka, uri: 'redis://h:1', stream: s}
                      - {type: redis-stream, uri: 'http://h', stream: s, batch: 0, format: xml}
                      - {type: redis-stream, uri: 'redis://h:1', stream: s, deadLetter: s, blok: 1s}
                      - {type: redis-stream, uri: 'redis://h:1'}
                      - {type: redis-stream, uri: 'redis://h:1', stream: a}
                      - {type: redis-stream, uri: 'redis://h:1', stream: a}
                    """))
        .containsExactly(
            "c.yaml:5: events: unknown key 'keep'; allowed: holdFor, maxHeldPerType, rememberIds",
            "c.yaml:5: events: 'holdFor' must be a positive duration, got \"0s\"",
            "c.yaml:5: events: 'maxHeldPerType' must be a whole number >= 0, got -1",
            "c.yaml:7: source 1: unknown source type 'kafka'; known: redis-stream",
            "c.yaml:8: source 2: 'uri' must be redis://HOST:PORT or rediss://..., got http://h",
            "c.yaml:8: source 2: 'batch' must be a whole number >= 1, got 0",
            "c.yaml:8: source 2: 'format' must be cloudevent or data, got 'xml'",
            "c.yaml:9: source 3: unknown key 'blok'; allowed: batch, block, claimIdle, consumer,"
                + " deadLetter, eventType, format, group, name, stream, type, uri",
            "c.yaml:9: source 3: 'deadLetter' must not be the stream itself",
            "c.yaml:10: source 4: missing required key 'stream'",
            "c.yaml:12: source 6: duplicate source name 'a' (source 5); give each source its own"
                + " name");
  }

  @Test
  void recordsCheckThemselvesWhenBuiltInCode() {
    SourceConfig ok = SourceConfig.redisStream("redis://h:1", "s");
    assertThatThrownBy(() -> SourceConfig.redisStream("h:1", "s"))
        .hasMessageContaining("uri must be redis://HOST:PORT");
    assertThatThrownBy(() -> ok.withBlock(Duration.ZERO))
        .hasMessageContaining("block and claimIdle must be positive");
    assertThatThrownBy(() -> ok.withFormat("xml", null)).hasMessageContaining("format must be");
    assertThatThrownBy(() -> new EventsConfig(Duration.ZERO, 1, 1))
        .hasMessageContaining("holdFor must be positive");
  }
}

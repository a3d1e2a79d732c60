package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.durable.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code durability:} section in each of its forms, and every way to get it wrong. */
class DurabilityConfigTest {
  private static final String BASE =
      """
      name: t
      master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
      workers:
        - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
      """;
  private static final String STORE = "store: {mode: tiered, redis: 'redis://127.0.0.1:6379'}\n";

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
  void noneIsTheDefaultAndOpensNoJournal() {
    ClusterConfig c = parse(BASE);
    assertThat(c.durability()).isEqualTo(DurabilityConfig.NONE);
    assertThat(c.durability().enabled()).isFalse();
    assertThat(c.openJournal()).isSameAs(Journal.NONE);
    assertThat(parse(BASE + "durability: none\n").durability()).isEqualTo(DurabilityConfig.NONE);
    assertThat(parse(BASE + "durability: {mode: none}\n").durability())
        .isEqualTo(DurabilityConfig.NONE);
  }

  @Test
  void redisIsShortForTheObjectWithDefaults() {
    DurabilityConfig short_ = parse(BASE + STORE + "durability: redis\n").durability();
    assertThat(short_).isEqualTo(DurabilityConfig.of(DurabilityConfig.Mode.REDIS));
    assertThat(short_.redisWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(short_.retention()).isEqualTo(Duration.ofHours(1));
    assertThat(short_.keyPrefix()).isEqualTo("sluice:j:");
    assertThat(parse(BASE + STORE + "durability: {mode: REDIS}\n").durability()).isEqualTo(short_);
  }

  @Test
  void theObjectFormSetsEverySetting() {
    DurabilityConfig d =
        parse(
                BASE
                    + STORE
                    + """
                    durability:
                      mode: redis
                      redisWait: 5s
                      retention: 2h
                      keyPrefix: "prod:j:"
                    """)
            .durability();
    assertThat(d)
        .isEqualTo(
            new DurabilityConfig(
                DurabilityConfig.Mode.REDIS,
                Duration.ofSeconds(5),
                Duration.ofHours(2),
                "prod:j:"));
  }

  @Test
  void redisWithoutAStoreRedisIsNamedAtItsLine() {
    assertThat(problems(BASE + "durability: redis\n"))
        .containsExactly(
            "c.yaml:5: durability: durability: redis needs store.redis, the Redis the journal is"
                + " written to: add 'redis: redis://HOST:PORT' to the store section");
    assertThat(problems(BASE + "store: {mode: memory}\ndurability:\n  mode: redis\n"))
        .containsExactly(
            "c.yaml:7: durability: durability: redis needs store.redis, the Redis the journal is"
                + " written to: add 'redis: redis://HOST:PORT' to the store section");
  }

  @Test
  void badValuesAreNamedWithTheirLinesAllAtOnce() {
    assertThat(problems(BASE + "durability: always\n"))
        .containsExactly("c.yaml:5: durability: 'durability' must be none or redis, got always");
    assertThat(problems(BASE + "durability: [redis]\n"))
        .containsExactly(
            "c.yaml:5: durability: 'durability' must be none, redis or a mapping with keys"
                + " keyPrefix, mode, redisWait, retention, got ARRAY");
    assertThat(
            problems(
                BASE
                    + STORE
                    + """
                    durability:
                      mode: fsync
                      redisWait: 0s
                      retention: forever
                      keyPrefix: "a{b}"
                      wal: true
                    """))
        .containsExactly(
            "c.yaml:11: durability: unknown key 'wal'; allowed: keyPrefix, mode, redisWait,"
                + " retention",
            "c.yaml:7: durability: 'mode' must be none or redis, got fsync",
            "c.yaml:8: durability: 'redisWait' must be a positive duration, got \"0s\"",
            "c.yaml:9: durability: 'retention': bad duration 'forever': write e.g. 250ms, 2s,"
                + " 1.5s, 1m, 2h or ISO-8601 like PT2S");
    assertThat(problems(BASE + STORE + "durability: {mode: redis, keyPrefix: \"a{b}\"}\n"))
        .containsExactly(
            "c.yaml:6: durability: 'keyPrefix' must be non-empty without braces, got 'a{b}'");
    assertThat(problems(BASE + STORE + "durability: {redisWait: 1s}\n"))
        .containsExactly("c.yaml:6: durability: missing required key 'mode'");
  }

  @Test
  void builtInCodeItChecksItself() {
    assertThatThrownBy(
            () ->
                new DurabilityConfig(
                    DurabilityConfig.Mode.REDIS, Duration.ZERO, Duration.ofHours(1), "p:"))
        .hasMessageContaining("redisWait must be positive");
    assertThatThrownBy(
            () ->
                new DurabilityConfig(
                    DurabilityConfig.Mode.REDIS, Duration.ofSeconds(1), Duration.ZERO, "p:"))
        .hasMessageContaining("retention must be positive");
    assertThatThrownBy(
            () ->
                new DurabilityConfig(
                    DurabilityConfig.Mode.REDIS, Duration.ofSeconds(1), Duration.ofHours(1), ""))
        .hasMessageContaining("keyPrefix");
    ClusterConfig c = parse(BASE);
    assertThatThrownBy(
            () ->
                new ClusterConfig(
                    c.name(),
                    null,
                    c.master(),
                    c.heartbeat(),
                    c.partitioner(),
                    c.store(),
                    c.links(),
                    c.workers(),
                    null,
                    null,
                    null,
                    DurabilityConfig.of(DurabilityConfig.Mode.REDIS)))
        .hasMessage("cluster t: durability: redis needs store.redis (redis://HOST:PORT)");
    assertThatThrownBy(() -> DurabilityConfig.of(DurabilityConfig.Mode.REDIS).open(c.store()))
        .hasMessageContaining("durability: redis needs store.redis");
  }
}

package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.format.ByteSizes;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowLoader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store: section of a cluster config, read straight into {@link StoreConfig}. */
class StoreConfigTest {
  private static final String HEAD =
      """
      master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
      workers: [{id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}]
      store:
      """;

  /** The cluster config with {@code store} (indented lines) as its store section; line 4 on. */
  private static ClusterConfig parse(String store) {
    return ClusterConfig.parse("c.yaml", HEAD + store, Map.of());
  }

  private static List<String> problems(String store) {
    try {
      parse(store);
    } catch (ClusterConfigException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + store);
  }

  private static final String EVERY_KEY =
      """
        mode: tiered
        slots: 8
        grantedMemoryPerSlot: 256MiB
        reclaimRatio: 0.25
        chunkSize: 512KiB
        inlineThreshold: 4KiB
        maxValueSize: 1GiB
        ttl: 30m
        redis: redis://127.0.0.1:16379
        redisTimeout: 2s
        peerPushMax: 8MB
        keyPrefix: lab
      """;

  @Test
  void everyKeyReadsIntoStoreConfig() {
    assertThat(parse(EVERY_KEY).store())
        .isEqualTo(
            StoreConfig.builder()
                .mode(StoreMode.TIERED)
                .reclaimable(new ReclaimableMemory(8, 256L << 20, 0.25))
                .chunkSize(512L << 10)
                .inlineThreshold(4096)
                .maxValueSize(1L << 30)
                .ttl(Duration.ofMinutes(30))
                .redisUri(URI.create("redis://127.0.0.1:16379"))
                .redisTimeout(Duration.ofSeconds(2))
                .peerPushMaxBytes(8_000_000)
                .keyPrefix("lab")
                .build());
    assertThat(parse(EVERY_KEY).store().initialBudget()).isEqualTo(512L << 20);
    assertThat(parse("  memoryBudget: 2GB\n").store())
        .isEqualTo(StoreConfig.builder().budget(2_000_000_000L).build());
  }

  @Test
  void theTestsCoverEveryKey() throws Exception {
    JsonNode section = SourceDocument.parse("s.yaml", EVERY_KEY.stripIndent()).root();
    List<String> written = new ArrayList<>();
    section.fieldNames().forEachRemaining(written::add);
    written.add(StoreConfig.MEMORY_BUDGET);
    written.addAll(
        List.of(
            StoreConfig.RECLAIM_FROM_CONTAINERS, StoreConfig.BUDGET_FLOOR, StoreConfig.BUDGET_CAP));
    assertThat(written).containsExactlyInAnyOrderElementsOf(StoreConfig.KEYS);
  }

  @Test
  void absentKeysTakeTheOneDefault() {
    StoreConfig d = parse("  mode: memory\n").store();
    assertThat(d).isEqualTo(StoreConfig.DEFAULT);
    assertThat(d.inlineThreshold())
        .isEqualTo(StoreConfig.DEFAULT_INLINE_THRESHOLD)
        .isEqualTo(65_536);
    assertThat(d.fixedBudgetBytes()).isEqualTo(StoreConfig.DEFAULT_MEMORY_BUDGET);
    assertThat(d.ttl()).isEqualTo(StoreConfig.DEFAULT_TTL);
    assertThat(d.mode()).isEqualTo(StoreMode.parse(StoreConfig.DEFAULT_MODE));
  }

  @Test
  void unknownKeyIsNamedWithItsLineAndTheKnownKeys() {
    assertThat(problems("  mode: tiered\n  inline-threshold: 64KiB\n"))
        .containsExactly(
            "c.yaml:5: store: unknown key 'inline-threshold'; allowed: budgetCap, budgetFloor,"
                + " chunkSize, grantedMemoryPerSlot, inlineThreshold, keyPrefix, maxValueSize,"
                + " memoryBudget, mode, peerPushMax, reclaimFromContainers, reclaimRatio, redis,"
                + " redisTimeout, slots, ttl");
  }

  @Test
  void theBudgetCanFollowTheContainersUnusedMemory() {
    StoreConfig s =
        parse(
                """
                  mode: tiered
                  redis: redis://127.0.0.1:16379
                  reclaimFromContainers: true
                  reclaimRatio: 0.75
                  budgetFloor: 8MiB
                  budgetCap: 512MiB
                """)
            .store();
    ContainerReclaim r = new ContainerReclaim(0.75, 8L << 20, 512L << 20);
    assertThat(s.fromContainers()).contains(r);
    assertThat(s.fixedBudgetBytes()).isZero();
    assertThat(s.reclaimable()).isEmpty();
    assertThat(s.initialBudget()).isEqualTo(8L << 20);
    // a share of granted - used, between the floor and the cap
    assertThat(r.budget(400L << 20, 100L << 20)).isEqualTo(225L << 20);
    assertThat(r.budget(400L << 20, 399L << 20)).isEqualTo(8L << 20);
    assertThat(r.budget(400L << 20, 500L << 20)).isEqualTo(8L << 20);
    assertThat(r.budget(4L << 30, 0)).isEqualTo(512L << 20);
    StoreConfig defaults =
        parse("  redis: redis://127.0.0.1:16379\n  reclaimFromContainers: true\n").store();
    assertThat(defaults.fromContainers())
        .contains(
            new ContainerReclaim(
                StoreConfig.DEFAULT_RECLAIM_RATIO,
                StoreConfig.DEFAULT_BUDGET_FLOOR,
                StoreConfig.DEFAULT_BUDGET_CAP));
    assertThat(parse("  reclaimFromContainers: false\n").store()).isEqualTo(StoreConfig.DEFAULT);
  }

  @Test
  void containerReclaimRulesNameTheirKeys() {
    String redis = "  redis: redis://127.0.0.1:16379\n";
    assertThat(problems("  reclaimFromContainers: true\n"))
        .singleElement()
        .asString()
        .startsWith("c.yaml:4: store: 'reclaimFromContainers' needs redis");
    assertThat(problems(redis + "  reclaimFromContainers: true\n  memoryBudget: 1GiB\n"))
        .containsExactly(
            "c.yaml:6: store: write 'memoryBudget' or 'reclaimFromContainers: true', not both");
    assertThat(problems(redis + "  budgetFloor: 1GiB\n"))
        .containsExactly(
            "c.yaml:5: store: 'budgetFloor' applies only with 'reclaimFromContainers: true'");
    assertThat(
            problems(
                redis + "  reclaimFromContainers: true\n  budgetFloor: 1GiB\n  budgetCap: 1MiB\n"))
        .singleElement()
        .asString()
        .startsWith("c.yaml:7: store: 'budgetCap' must be more than 0 and at least budgetFloor");
    assertThat(problems(redis + "  reclaimFromContainers: true\n  reclaimRatio: 2\n"))
        .containsExactly("c.yaml:6: store: 'reclaimRatio' must be in (0, 1], got 2.0");
  }

  @Test
  void brokenRulesAreReportedAtTheKeyAsWritten() {
    assertThat(problems("  chunkSize: 0\n"))
        .containsExactly("c.yaml:4: store: 'chunkSize' must be in 1B..512MiB, got 0B");
    assertThat(problems("  maxValueSize: 1KB\n  inlineThreshold: 2KB\n"))
        .containsExactly(
            "c.yaml:5: store: 'inlineThreshold' must be in 0..maxValueSize (1KB), got 2KB");
    assertThat(problems("  mode: redis\n"))
        .containsExactly(
            "c.yaml:4: store: 'redis' is required by mode redis: write redis://HOST:PORT");
    assertThat(problems("  memoryBudget: 0\n"))
        .singleElement()
        .asString()
        .startsWith("c.yaml:4: store: 'memoryBudget' must be more than 0 bytes");
    assertThat(problems("  slots: 4\n"))
        .containsExactly(
            "c.yaml:4: store: 'slots' and 'grantedMemoryPerSlot' go together (with an optional"
                + " 'reclaimRatio')");
    assertThat(problems("  slots: 4\n  grantedMemoryPerSlot: 1GB\n  reclaimRatio: 1.5\n"))
        .containsExactly(
            "c.yaml:6: store: 'reclaimRatio': reclaim ratio must be in (0, 1], got 1.5");
    assertThat(problems("  ttl: 0s\n  keyPrefix: 'a{b}'\n"))
        .containsExactly("c.yaml:4: store: 'ttl' must be a positive duration, got \"0s\"");
  }

  @Test
  void blankAndBadValuesReadTheSameInDefinitionsAndConfigs() {
    // The same FieldReader reads both, so a bad value gets the same message after the
    // "FILE:LINE: SECTION: " both put in front.
    assertThat(problems("  ttl: soon\n  keyPrefix: ' '\n  chunkSize: lots\n"))
        .containsExactlyInAnyOrder(
            "c.yaml:4: store: 'ttl': bad duration 'soon': write e.g. 250ms, 2s, 1.5s, 1m, 2h or"
                + " ISO-8601 like PT2S",
            "c.yaml:5: store: 'keyPrefix' must not be blank",
            "c.yaml:6: store: 'chunkSize': bad size 'lots': write a number of bytes or e.g."
                + " 512KB, 256MB, 1GiB");
    List<String> workflow =
        workflowProblems(
            """
            sluice: "1.0"
            name: w
            start: a
            nodes:
              - id: a
                type: task
                function: ' '
                timeout: soon
                hints: {outputBytes: lots}
            functions:
              f: {runtime: process, command: [true]}
            """);
    assertThat(workflow)
        .containsExactlyInAnyOrder(
            "test.yaml:7: a: 'function' must not be blank",
            "test.yaml:8: a: 'timeout': bad duration 'soon': write e.g. 250ms, 2s, 1.5s, 1m, 2h or"
                + " ISO-8601 like PT2S",
            "test.yaml:9: a: 'outputBytes': bad size 'lots': write a number of bytes or e.g."
                + " 512KB, 256MB, 1GiB");
  }

  private static List<String> workflowProblems(String yaml) {
    try {
      new WorkflowLoader().load("test.yaml", yaml);
    } catch (DefinitionException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + yaml);
  }

  @Test
  void builtInCodeTheMessageNamesTheSameKey() {
    assertThatThrownBy(() -> StoreConfig.builder().chunkSize(0).build())
        .isInstanceOf(StoreConfig.InvalidSetting.class)
        .hasMessage("store: 'chunkSize' must be in 1B..512MiB, got 0B");
    assertThatThrownBy(() -> StoreConfig.builder().redisUri(URI.create("http://x:1")).build())
        .hasMessageContaining("'redis' must look like redis://HOST:PORT");
    assertThatThrownBy(() -> StoreConfig.builder().keyPrefix("a{b}").build())
        .hasMessageContaining("'keyPrefix' must be non-empty without braces");
  }

  @Test
  void sizesFollowOneRule() {
    // One rule for every size: KB/MB powers of 1000, KiB/MiB powers of 1024.
    assertThat(ByteSizes.parse("64MB")).isEqualTo(64_000_000L);
    assertThat(ByteSizes.parse("64MiB")).isEqualTo(64L << 20);
    assertThat(ByteSizes.parse("1kb")).isEqualTo(1000);
    assertThat(ByteSizes.parse("1KiB")).isEqualTo(1024);
    assertThat(ByteSizes.parse("17")).isEqualTo(17);
    assertThat(ByteSizes.format(64L << 20)).isEqualTo("64MiB");
    assertThat(ByteSizes.format(64_000_000L)).isEqualTo("64MB");
    assertThat(ByteSizes.format(1500)).isEqualTo("1500B");
    assertThat(parse("  inlineThreshold: 64KB\n").store().inlineThreshold()).isEqualTo(64_000);
    assertThat(parse("  inlineThreshold: 64KiB\n").store().inlineThreshold()).isEqualTo(65_536);
  }
}

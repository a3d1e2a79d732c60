package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static final Path CONFIGS =
      Path.of(System.getProperty("sluice.root", "..")).resolve("cluster-config");

  private static final String VALID =
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
  void aSecretsFolderIsSetForAllWorkersOrPerWorkerFromTheConfigsFolder() {
    ClusterConfig c =
        ClusterConfig.parse(
            "/etc/sluice/c.yaml",
            """
            name: t
            secrets: {dir: secrets}
            master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
            workers:
              - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
              - {id: w2, host: 127.0.0.1, grpcPort: 7402, httpPort: 7482, secrets: {dir: /run/s}}
            """,
            Map.of());
    assertThat(c.worker("w1").secretsDir()).isEqualTo("/etc/sluice/secrets");
    assertThat(c.worker("w2").secretsDir()).isEqualTo("/run/s");
    assertThat(parse(MINIMAL_WORKER).workers().get(0).secretsDir()).isNull();
    assertThat(
            problems(
                """
                name: t
                master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
                workers:
                  - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481, secrets: {path: x}}
                """))
        .anySatisfy(p -> assertThat(p).contains("path"));
  }

  private static final String MINIMAL_WORKER =
      """
      name: t
      master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
      workers:
        - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
      """;

  @Test
  void aWorkersClasspathIsAListOrOneSeparatedText() {
    ClusterConfig c =
        parse(
            """
            name: t
            master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
            workers:
              - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481, classpath: [a.jar, lib]}
              - {id: w2, host: 127.0.0.1, grpcPort: 7402, httpPort: 7482, classpath: "x.jar:y"}
              - {id: w3, host: 127.0.0.1, grpcPort: 7403, httpPort: 7483}
            """);
    assertThat(c.worker("w1").classpath()).containsExactly("a.jar", "lib");
    assertThat(c.worker("w2").classpath()).containsExactly("x.jar", "y");
    assertThat(c.worker("w3").classpath()).isEmpty();
    assertThat(
            problems(
                """
                name: t
                master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
                workers:
                  - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481, classpath: 3}
                """))
        .anySatisfy(p -> assertThat(p).contains("c.yaml:4").contains("'classpath' must be"));
  }

  @Test
  void duplicateKeysAreAnErrorNamingBothLines() {
    assertThat(problems("name: a\nname: b\n"))
        .anySatisfy(p -> assertThat(p).contains("c.yaml:2").contains("duplicate key 'name'"));
  }

  @Test
  void readsLocalThree() {
    ClusterConfig c = ClusterConfig.load(CONFIGS.resolve("local-3.yaml"), Map.of());
    assertThat(c.name()).isEqualTo("local-3");
    assertThat(c.master()).isEqualTo(new MasterConfig("127.0.0.1", 17400, 17480));
    assertThat(c.master().isLocal()).isTrue();
    assertThat(c.heartbeat()).isEqualTo(new HeartbeatConfig(Duration.ofMillis(500), 4));
    assertThat(c.heartbeat().deadAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.partitioner()).isEqualTo(PartitionerKind.CRITICAL_PATH);
    assertThat(c.store())
        .isEqualTo(
            StoreConfig.builder()
                .mode(StoreMode.TIERED)
                .budget(256_000_000)
                .inlineThreshold(64_000)
                .build());
    assertThat(c.workerIds()).containsExactly("w1", "w2", "w3");
    assertThat(c.worker("w2"))
        .isEqualTo(new WorkerConfig("w2", "127.0.0.1", 17402, 17482, 8, 1_000_000_000L));
    assertThat(c.worker("w3").grpcAddress()).isEqualTo("127.0.0.1:17403");
  }

  @Test
  void readsMultiHostExample() {
    ClusterConfig c = ClusterConfig.load(CONFIGS.resolve("multi-host.example.yaml"), Map.of());
    assertThat(c.name()).isEqualTo("lab-4");
    assertThat(c.master().grpcAddress()).isEqualTo("10.0.0.10:7400");
    assertThat(c.workerIds()).containsExactly("a1", "a2", "b1", "c1");
    assertThat(c.worker("c1").slots()).isEqualTo(32);
    assertThat(c.worker("a1").isLocal()).isFalse();
    assertThat(c.store().redisUri()).contains(URI.create("redis://10.0.0.10:6379"));
    assertThat(c.store().mode()).isEqualTo(StoreMode.TIERED);
    assertThat(c.store().fixedBudgetBytes()).isEqualTo(2_000_000_000L);
    assertThat(c.store().inlineThreshold()).isEqualTo(64_000);
    assertThat(c.http().maxBodyBytes()).isEqualTo(8L << 20);
    // a cluster over several hosts cannot run as security: none
    assertThat(c.security().enabled()).isTrue();
    assertThat(c.security().tls()).isPresent();
  }

  @Test
  void defaultsForOptionalSections() {
    ClusterConfig c = parse(VALID);
    assertThat(c.heartbeat()).isEqualTo(HeartbeatConfig.DEFAULT);
    assertThat(c.partitioner()).isEqualTo(PartitionerKind.CRITICAL_PATH);
    assertThat(c.store()).isEqualTo(StoreConfig.DEFAULT);
    assertThat(c.worker("w1").slots()).isEqualTo(WorkerConfig.DEFAULT_SLOTS);
    assertThat(c.worker("w1").memoryBytes()).isEqualTo(WorkerConfig.DEFAULT_MEMORY_BYTES);
  }

  @Test
  void nameDefaultsToFileName() {
    String text = VALID.replace("name: t\n", "");
    assertThat(ClusterConfig.parse("dir/lab.yaml", text, Map.of()).name()).isEqualTo("lab");
  }

  @Test
  void sizesAndDurationsInEveryForm() {
    ClusterConfig c =
        parse(
            """
            master: {host: h, grpcPort: 1, httpPort: 2}
            heartbeat: {interval: PT2S, missedAllowed: 3}
            partitioner: hash
            store: {mode: redis, memoryBudget: 1GiB, inlineThreshold: 4096, redis: redis://r:6379}
            workers:
              - {id: w1, host: h, grpcPort: 3, httpPort: 4, memory: 512KiB}
              - {id: w2, host: h, grpcPort: 5, httpPort: 6, memory: 1000}
            """);
    assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.partitioner()).isEqualTo(PartitionerKind.HASH);
    assertThat(c.store().fixedBudgetBytes()).isEqualTo(1L << 30);
    assertThat(c.store().inlineThreshold()).isEqualTo(4096);
    assertThat(c.worker("w1").memoryBytes()).isEqualTo(512 * 1024);
    assertThat(c.worker("w2").memoryBytes()).isEqualTo(1000);
  }

  @Test
  void linksAreReadWithTheOneSizeAndDurationRule() {
    assertThat(parse(VALID).links()).isEmpty();
    ClusterConfig c = parse(VALID + "links: {latency: 1ms, bandwidth: 50MB/s}\n");
    assertThat(c.links()).contains(new LinkConfig(Duration.ofMillis(1), 50_000_000L));
    assertThat(parse(VALID + "links:\n  latency: 250us\n  bandwidth: 1GiB/s\n").links())
        .contains(new LinkConfig(Duration.ofNanos(250_000), 1L << 30));
    LinkConfig plain = parse(VALID + "links: {}\n").links().orElseThrow();
    assertThat(plain.latency()).isZero();
    assertThat(plain.paced()).isFalse();
    assertThat(plain.toString()).isEqualTo("latency 0s, bandwidth unlimited");
    assertThat(LinkConfig.parseBandwidth(LinkConfig.formatBandwidth(125_000))).isEqualTo(125_000);
  }

  @Test
  void badLinksAreNamedWithTheirLines() {
    assertThat(
            problems(
                VALID
                    + """
                    links:
                      latency: -1ms
                      bandwidth: fast
                      loss: 1%
                    """))
        .containsExactly(
            "c.yaml:8: links: unknown key 'loss'; allowed: bandwidth, latency",
            "c.yaml:6: links: 'latency': bad duration '-1ms': write e.g. 250ms, 2s, 1.5s, 1m, 2h"
                + " or ISO-8601 like PT2S",
            "c.yaml:7: links: 'bandwidth': bad bandwidth 'fast': write bytes per second like"
                + " 50MB/s, 1GiB/s or 125000B/s, or unlimited");
    assertThat(problems(VALID + "links: {latency: -PT1S, bandwidth: 0MB/s}\n"))
        .containsExactly(
            "c.yaml:5: links: 'latency' must not be negative, got -PT1S",
            "c.yaml:5: links: 'bandwidth': bad bandwidth '0MB/s': must be more than 0 bytes per"
                + " second");
    assertThat(problems(VALID + "links: 1ms\n"))
        .containsExactly("c.yaml:5: links: 'links' must be a mapping of keys to values");
    assertThatThrownBy(() -> new LinkConfig(Duration.ofMillis(-1), 0))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void httpLimitsAreReadWithTheOneSizeAndDurationRule() {
    assertThat(parse(VALID).http()).isEqualTo(HttpConfig.DEFAULT);
    assertThat(parse(VALID).http().maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
    ClusterConfig c = parse(VALID + "http: {maxBodySize: 256KiB, deliveryTimeout: 5s}\n");
    assertThat(c.http()).isEqualTo(new HttpConfig(256 * 1024, Duration.ofSeconds(5)));
    assertThat(parse(VALID + "http: {maxBodySize: 1MB}\n").http())
        .isEqualTo(new HttpConfig(1_000_000, HttpConfig.DEFAULT_DELIVERY_TIMEOUT));
    assertThat(problems(VALID + "http: {maxBodySize: 3GiB, deliveryTimeout: 0s, gzip: true}\n"))
        .containsExactly(
            "c.yaml:5: http: unknown key 'gzip'; allowed: deliveryTimeout, maxBodySize",
            "c.yaml:5: http: 'maxBodySize' must be 1 byte .. 2 GiB - 1, got 3221225472",
            "c.yaml:5: http: 'deliveryTimeout' must be a positive duration, got \"0s\"");
  }

  @Test
  void unknownKeysAreNamedWithTheirLines() {
    assertThat(
            problems(
                """
                name: t
                master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480, grpcPrt: 1}
                colour: blue
                workers:
                  - id: w1
                    host: 127.0.0.1
                    grpcPort: 7401
                    httpPort: 7481
                    slot: 8
                """))
        .containsExactly(
            "c.yaml:3: -: unknown key 'colour'; allowed: durability, events, heartbeat, http, limits, links,"
                + " logs, master, name, partitioner, progress, secrets, security, sources, store, workers",
            "c.yaml:2: master: unknown key 'grpcPrt'; allowed: grpcPort, host, httpPort",
            "c.yaml:9: worker w1: unknown key 'slot'; allowed: classpath, grpcPort, host, httpPort, id,"
                + " memory, secrets, slots");
  }

  @Test
  void missingRequiredKeysAreNamed() {
    assertThat(
            problems(
                """
                master: {host: 127.0.0.1, httpPort: 7480}
                workers:
                  - {host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
                  - {id: w2, grpcPort: 7402}
                """))
        .containsExactly(
            "c.yaml:1: master: missing required key 'grpcPort' (a port, 1..65535)",
            "c.yaml:3: workers[0]: missing required key 'id'",
            "c.yaml:4: worker w2: missing required key 'host'",
            "c.yaml:4: worker w2: missing required key 'httpPort' (a port, 1..65535)");
    assertThat(problems("name: t\n"))
        .containsExactly(
            "c.yaml:1: master: missing required section 'master'",
            "c.yaml:1: -: missing required key 'workers' (a list of workers)");
  }

  @Test
  void theFailureDetectorsSettingsHaveDefaultsThatKeepTheFloorAndCanBeSet() {
    HeartbeatConfig d = HeartbeatConfig.DEFAULT;
    assertThat(d.phiThreshold()).isEqualTo(10.0);
    assertThat(d.minStdDeviation()).isEqualTo(Duration.ofMillis(125));
    assertThat(d.maxSilence()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.deadAfter()).isEqualTo(Duration.ofSeconds(2));
    // a long floor raises the longest silence with it
    assertThat(new HeartbeatConfig(Duration.ofMillis(500), 60).maxSilence())
        .isEqualTo(Duration.ofSeconds(30));
    ClusterConfig c =
        parse(
            """
            master: {host: h, grpcPort: 1, httpPort: 2}
            heartbeat: {interval: 200ms, missedAllowed: 5, phiThreshold: 12.5,
                        minStdDeviation: 20ms, maxSilence: 15s}
            workers:
              - {id: w1, host: h, grpcPort: 3, httpPort: 4}
            """);
    assertThat(c.heartbeat())
        .isEqualTo(
            new HeartbeatConfig(
                Duration.ofMillis(200), 5, 12.5, Duration.ofMillis(20), Duration.ofSeconds(15)));
    assertThat(
            problems(
                """
                master: {host: h, grpcPort: 1, httpPort: 2}
                heartbeat: {interval: 1s, missedAllowed: 4, phiThreshold: 0, maxSilence: 3s}
                workers:
                  - {id: w1, host: h, grpcPort: 3, httpPort: 4}
                """))
        .containsExactly("c.yaml:2: heartbeat: 'phiThreshold' must be > 0 and <= 100, got 0.0");
    assertThat(
            problems(
                """
                master: {host: h, grpcPort: 1, httpPort: 2}
                heartbeat: {interval: 1s, missedAllowed: 4, maxSilence: 3s}
                workers:
                  - {id: w1, host: h, grpcPort: 3, httpPort: 4}
                """))
        .containsExactly(
            "c.yaml:2: heartbeat: 'maxSilence' (3000 ms) must be at least interval × missedAllowed"
                + " (4000 ms)");
  }

  @Test
  void badValuesAreReportedTogether() {
    assertThat(
            problems(
                """
                master: {host: 127.0.0.1, grpcPort: 70000, httpPort: 7480}
                heartbeat: {interval: soon, missedAllowed: 0}
                partitioner: random
                store: {mode: disk, memoryBudget: lots, redis: http://x}
                workers:
                  - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481, memory: 1XB, slots: 0}
                """))
        .containsExactly(
            "c.yaml:1: master: 'grpcPort' must be a port in 1..65535, got 70000",
            "c.yaml:2: heartbeat: 'interval': bad duration 'soon': write e.g. 250ms, 2s, 1.5s, 1m,"
                + " 2h or ISO-8601 like PT2S",
            "c.yaml:2: heartbeat: 'missedAllowed' must be a whole number >= 1, got 0",
            "c.yaml:3: -: unknown partitioner 'random'; use one of: critical-path, hash",
            "c.yaml:4: store: 'mode' must be memory, redis or tiered, got disk",
            "c.yaml:4: store: 'memoryBudget': bad size 'lots': write a number of bytes or e.g."
                + " 512KB, 256MB, 1GiB",
            "c.yaml:4: store: 'redis' must look like redis://HOST:PORT, rediss://HOST:PORT or"
                + " redis://USER:PASSWORD@HOST:PORT/DB, got 'http://x'",
            "c.yaml:6: worker w1: 'slots' must be a whole number >= 1, got 0",
            "c.yaml:6: worker w1: 'memory': bad size '1XB': write a number of bytes or e.g. 512KB,"
                + " 256MB, 1GiB");
  }

  @Test
  void duplicateWorkerIds() {
    assertThat(
            problems(
                """
                master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
                workers:
                  - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
                  - {id: w1, host: 127.0.0.1, grpcPort: 7402, httpPort: 7482}
                """))
        .containsExactly("c.yaml:4: worker w1: duplicate worker id 'w1' (first at c.yaml:3)");
  }

  @Test
  void portClashesOnOneHostButNotAcrossHosts() {
    assertThat(
            problems(
                """
                master: {host: localhost, grpcPort: 7400, httpPort: 7480}
                workers:
                  - {id: w1, host: 127.0.0.1, grpcPort: 7400, httpPort: 7481}
                  - {id: w2, host: 127.0.0.1, grpcPort: 7481, httpPort: 7482}
                  - {id: w3, host: 10.0.0.2, grpcPort: 7401, httpPort: 7481}
                """))
        .containsExactly(
            "c.yaml:3: worker w1: port 7400 on 127.0.0.1 is used by both master grpcPort and"
                + " worker w1 grpcPort; give each process its own ports",
            "c.yaml:4: worker w2: port 7481 on 127.0.0.1 is used by both worker w1 httpPort and"
                + " worker w2 grpcPort; give each process its own ports");
  }

  @Test
  void malformedYamlHasItsLine() {
    assertThat(problems("master: {host: a\nworkers: [\n"))
        .singleElement()
        .asString()
        .startsWith("c.yaml:")
        .contains("malformed YAML");
    assertThat(problems("- just\n- a list\n"))
        .containsExactly("c.yaml:1: -: a cluster config must be a mapping of keys");
  }

  @Test
  void unreadableFileIsNamed() {
    assertThatThrownBy(() -> ClusterConfig.load(Path.of("no/such/cluster.yaml"), Map.of()))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessageContaining("no/such/cluster.yaml")
        .hasMessageContaining("cannot read file");
  }

  @Test
  void environmentOverridesTheMasterAddress() {
    ClusterConfig c =
        ClusterConfig.parse("c.yaml", VALID, Map.of(ClusterConfig.ENV_MASTER, "10.1.2.3:9000"));
    assertThat(c.master()).isEqualTo(new MasterConfig("10.1.2.3", 9000, 7480));
    ClusterConfig v6 =
        ClusterConfig.parse("c.yaml", VALID, Map.of(ClusterConfig.ENV_MASTER, "[::1]:9001"));
    assertThat(v6.master().host()).isEqualTo("::1");
    assertThat(ClusterConfig.parse("c.yaml", VALID, Map.of("SLUICE_MASTER", " ")).master())
        .isEqualTo(new MasterConfig("127.0.0.1", 7400, 7480));
  }

  @Test
  void badEnvironmentOverrideIsNamed() {
    assertThatThrownBy(
            () -> ClusterConfig.parse("c.yaml", VALID, Map.of("SLUICE_MASTER", "nohost")))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage(
            "c.yaml:2: master: environment variable SLUICE_MASTER='nohost' is not HOST:PORT"
                + " (port 1..65535)");
  }

  @Test
  void overriddenMasterPortIsCheckedForClashes() {
    assertThatThrownBy(
            () -> ClusterConfig.parse("c.yaml", VALID, Map.of("SLUICE_MASTER", "127.0.0.1:7401")))
        .hasMessageContaining(
            "port 7401 on 127.0.0.1 is used by both master grpcPort and worker" + " w1 grpcPort");
  }

  @Test
  void unknownWorkerIdNamesTheKnownOnes() {
    ClusterConfig c = ClusterConfig.load(CONFIGS.resolve("local-3.yaml"), Map.of());
    assertThatThrownBy(() -> c.worker("w9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown worker id 'w9'")
        .hasMessageContaining("local-3.yaml")
        .hasMessageContaining("w1, w2, w3");
    assertThat(c.findWorker("w9")).isEmpty();
  }

  @Test
  void recordsCheckThemselvesWhenBuiltInCode() {
    MasterConfig m = new MasterConfig("127.0.0.1", 7400, 7480);
    WorkerConfig w = new WorkerConfig("w1", "127.0.0.1", 7401, 7481, 1, 0);
    assertThatThrownBy(
            () ->
                new ClusterConfig(
                    "c",
                    null,
                    m,
                    HeartbeatConfig.DEFAULT,
                    PartitionerKind.HASH,
                    StoreConfig.DEFAULT,
                    java.util.Optional.empty(),
                    List.of(w, w)))
        .hasMessageContaining("duplicate worker id w1");
    assertThatThrownBy(
            () ->
                new ClusterConfig(
                    "c",
                    null,
                    m,
                    HeartbeatConfig.DEFAULT,
                    PartitionerKind.HASH,
                    StoreConfig.DEFAULT,
                    java.util.Optional.empty(),
                    List.of()))
        .hasMessageContaining("no workers");
    assertThatThrownBy(() -> new WorkerConfig("w", "h", 70_000, 1, 1, 0))
        .hasMessageContaining("grpcPort");
    assertThatThrownBy(() -> new HeartbeatConfig(Duration.ZERO, 1))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> StoreConfig.builder().mode(StoreMode.REDIS).build())
        .hasMessageContaining("redis://HOST:PORT");
    assertThat(
            new ClusterConfig(
                    "c",
                    null,
                    new MasterConfig("127.0.0.1", 0, 0),
                    HeartbeatConfig.DEFAULT,
                    PartitionerKind.HASH,
                    StoreConfig.DEFAULT,
                    java.util.Optional.empty(),
                    List.of(new WorkerConfig("w1", "127.0.0.1", 0, 0, 1, 0)))
                .source())
        .isEqualTo("<built>");
  }
}

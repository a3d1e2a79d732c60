package io.sluice.cli;

import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit --count}, {@code versions}, {@code retire} and {@code redrive} against a master and
 * two workers in this JVM (no durability: redrive refuses, saying what it needs).
 */
@IntegrationTest // master and two workers in this JVM over gRPC
class OpsCliTest {
  static LocalCluster cluster;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    cluster = new LocalCluster(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Path version(String v) throws Exception {
    Path f = dir.resolve("ops-v" + v + ".yaml");
    Files.writeString(
        f,
        Files.readString(ROOT.resolve("examples/hello.yaml"))
            .replaceFirst("(?m)^name: .*$", "name: ops-versions")
            .replaceFirst("(?m)^version: .*$", "version: \"" + v + "\""));
    return f;
  }

  @Test
  void submitCountRunsManyInstancesFromOneJvmAndSummarizes() throws Exception {
    String hello = ROOT.resolve("examples/hello.yaml").toString();
    var r =
        sluice(
            "submit",
            "--master",
            cluster.address(),
            hello,
            "--count",
            "40",
            "--concurrency",
            "8",
            "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("submitted").asInt()).isEqualTo(40);
    assertThat(j.get("completed").asInt()).isEqualTo(40);
    assertThat(j.get("failed").asInt()).isZero();
    assertThat(j.get("p99Millis").asDouble()).isGreaterThanOrEqualTo(j.get("p50Millis").asDouble());
    var line =
        sluice(
            "submit", "--master", cluster.address(), hello, "--count", "10", "--concurrency", "3");
    assertThat(line.exit()).as(line.err()).isZero();
    assertThat(line.out()).startsWith("submitted 10, completed 10, failed 0, cancelled 0 in ");
    System.out.println("submit --count 40 --concurrency 8: " + r.out().strip());
    assertThat(sluice("submit", "--master", cluster.address(), hello, "--count", "0").err())
        .contains("--count must be at least 1");
  }

  @Test
  void retiredVersionsAreListedAndRefuseNewInstancesUntilUndone() throws Exception {
    Path v1 = version("1");
    Path v2 = version("2");
    String m = cluster.address();
    assertThat(sluice("submit", "--master", m, v1.toString(), "--wait").exit()).isZero();
    assertThat(sluice("submit", "--master", m, v2.toString(), "--wait").exit()).isZero();

    var retire = sluice("retire", "--master", m, "ops-versions@1");
    assertThat(retire.exit()).as(retire.err()).isZero();
    assertThat(retire.out()).contains("ops-versions@1 is retired");
    var refused = sluice("submit", "--master", m, v1.toString());
    assertThat(refused.exit()).isEqualTo(Main.EXIT_INVALID);
    assertThat(refused.err())
        .contains("FAILED_PRECONDITION")
        .contains("ops-versions@1 is retired")
        .contains("--undo");

    var versions = sluice("versions", "--master", m, "ops-versions");
    assertThat(versions.out().lines().toList())
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).startsWith("1  retired  running=0"))
        .anySatisfy(l -> assertThat(l).startsWith("2  active  running=0"));
    JsonNode json = sluice("versions", "--master", m, "ops-versions", "--json").json();
    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("retired").asBoolean()).isTrue();

    assertThat(sluice("retire", "--master", m, "ops-versions@1", "--undo").out())
        .contains("is active");
    assertThat(sluice("submit", "--master", m, v1.toString(), "--wait").exit()).isZero();
    assertThat(sluice("retire", "--master", m, "ops-versions").err()).contains("NAME@VERSION");
    assertThat(sluice("retire", "--master", m, "nope@1").err()).contains("NOT_FOUND");
  }

  @Test
  void redriveWithoutDurabilitySaysWhatItNeeds() throws Exception {
    String m = cluster.address();
    var failed =
        sluice(
            "submit",
            "--master",
            m,
            ROOT.resolve("examples/hello.yaml").toString(),
            "--wait",
            "--json");
    String id = failed.json().get("instanceId").asText();
    var r = sluice("redrive", "--master", m, id);
    assertThat(r.exit()).isEqualTo(Main.EXIT_INVALID);
    assertThat(r.err()).contains("FAILED_PRECONDITION").contains("durability: redis");
  }
}

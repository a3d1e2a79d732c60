package io.sluice.bench.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {
  @TempDir Path dir;

  static Sweep modes() {
    return new Sweep(
        List.of("worker", "master"),
        List.of("memory"),
        List.of("critical-path"),
        List.of(3),
        Arrays.asList((String) null),
        Arrays.asList((String) null),
        List.of(Load.clients(1)));
  }

  static List<Result> results() {
    Configuration worker = modes().configurations().get(0);
    Configuration master = modes().configurations().get(1);
    Result w =
        Result.of(
            "genome",
            worker,
            List.of(StatsTest.ok(0, 0, 20, 18, 10, 1), StatsTest.ok(1, 20, 22, 20, 10, 1)),
            StatsTest.ns(42),
            0.5);
    Result m =
        Result.of(
            "genome",
            master,
            List.of(
                StatsTest.ok(0, 0, 40, 38, 10, 2),
                Sample.failed(1, 40, 5, "failed: FunctionError at node a, \"quoted\"")),
            StatsTest.ns(45),
            0.5);
    return List.of(w, m);
  }

  @Test
  void csvFilesHaveAHeaderAndARowEach() throws Exception {
    ResultFiles.writeResults(dir.resolve("results.csv"), results());
    ResultFiles.writeSamples(dir.resolve("samples.csv"), results());
    List<String> res = Files.readAllLines(dir.resolve("results.csv"));
    assertThat(res).hasSize(3);
    assertThat(res.get(0)).startsWith("workflow,mode,store,partitioner,workers,linkLatencyMs");
    assertThat(res.get(0).split(","))
        .contains("p50Ms", "schedulingOverheadMs", "bytesRedis", "failed");
    assertThat(res.get(1)).startsWith("genome,worker,memory,critical-path,3,,,on,1,,2,20,");
    // the error has a comma and quotes: one quoted field, quotes doubled
    assertThat(res.get(2)).endsWith(",\"failed: FunctionError at node a, \"\"quoted\"\"\"");
    List<String> samples = Files.readAllLines(dir.resolve("samples.csv"));
    assertThat(samples).hasSize(5);
    assertThat(samples.get(0)).contains("latencyMs,elapsedMs,computeMs,dataMs");
    assertThat(samples.get(1)).contains(",0,i0,completed,0.000,20.000,18.000,10.000,1.000,8.000,");
  }

  @Test
  void summaryComparesEachConfigurationWithItsBaseline() throws Exception {
    Sweep sweep = modes();
    ResultFiles.writeSummary(
        dir.resolve("summary.md"),
        results(),
        sweep,
        Baseline.defaultFor(sweep),
        List.of("Command: test"),
        List.of("latency-cdf-wf-genome.png"));
    String md = Files.readString(dir.resolve("summary.md"));
    assertThat(md).contains("## genome").contains("Baseline: mode=master");
    // worker p50 21 (nearest rank of 20, 22 = 20) vs master 40: 0.5; sched 8 vs 28: 0.29
    assertThat(md).contains("| worker | 2 | 0 | 20.00 |").contains("| 0.50 | 0.29 | 0.50 |");
    assertThat(md).contains("| master (baseline) | 2 | 1 |").contains("| 1.00 | 1.00 | 1.00 |");
    assertThat(md).contains("First error of master: `failed: FunctionError at node a, \"quoted\"`");
    assertThat(md).contains("![latency-cdf-wf-genome.png](latency-cdf-wf-genome.png)");
  }

  @Test
  void jsonRowsCarryTheDocumentedFields() {
    var row = Rows.json(results().get(0));
    assertThat(row.fieldNames())
        .toIterable()
        .contains(
            "workflow",
            "mode",
            "store",
            "partitioner",
            "workers",
            "linkLatencyMs",
            "linkBandwidth",
            "progress",
            "clients",
            "instances",
            "p50Ms",
            "p95Ms",
            "p99Ms",
            "maxMs",
            "schedulingOverheadMs",
            "dataOverheadMs",
            "instancesPerSec",
            "invocationsPerSec",
            "masterMessages",
            "crossWorkerEvents",
            "bytesPeer",
            "bytesRedis",
            "failed")
        .doesNotContain("rate");
    assertThat(row.get("linkLatencyMs").isNull()).isTrue();
  }

  @Test
  void writtenClusterConfigLoads() throws Exception {
    ClusterSpec spec = new ClusterSpec("tiered", "hash", 2, null, null);
    ClusterYaml ports = ClusterYaml.freePorts(2);
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, ports.render("bench-x", spec, "127.0.0.1:16379"));
    ClusterConfig c = ClusterConfig.load(file);
    assertThat(c.workers()).hasSize(2);
    assertThat(c.heartbeat().missedAllowed()).isEqualTo(40);
    assertThat(c.partitioner().configName()).isEqualTo("hash");
    assertThat(Files.readString(file)).doesNotContain("links");
    String withLinks =
        ports.render("bench-x", new ClusterSpec("memory", "hash", 2, "1ms", "50MB/s"), null);
    assertThat(withLinks).contains("links: {latency: 1ms, bandwidth: 50MB/s}\n");
    assertThat(c.progress().enabled()).isTrue();
    assertThat(Files.readString(file)).doesNotContain("progress");
  }

  @Test
  void progressOffIsWrittenIntoTheClusterConfig() throws Exception {
    ClusterSpec spec = new ClusterSpec("memory", "critical-path", 2, null, null, false);
    Path file = dir.resolve("cluster-off.yaml");
    Files.writeString(file, ClusterYaml.freePorts(2).render("bench-off", spec, null));
    assertThat(Files.readString(file)).contains("\nprogress: off\n");
    assertThat(ClusterConfig.load(file).progress().enabled()).isFalse();
  }
}

package io.sluice.bench.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench workflow} end to end on an in-JVM cluster: a small FaaSFlow workflow in both modes;
 * every output file must exist and be well-formed.
 */
@IntegrationTest // a master and two workers over gRPC on loopback
class WorkflowBenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../corpus"));

  @TempDir Path out;

  record Run(int exit, String out, String err) {}

  static Run bench(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cl = new CommandLine(new WorkflowBenchCommand());
    cl.setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true));
    int exit = cl.execute(args);
    return new Run(exit, o.toString(), e.toString());
  }

  @Test
  void runsBothModesAndWritesEveryOutput() throws Exception {
    Run r =
        bench(
            CORPUS.resolve("faasflow/fileprocessing/flat_workflow.yaml").toString(),
            "--synthetic",
            "--time-scale",
            "0.01",
            "--mode",
            "worker,master",
            "--workers",
            "2",
            "--cluster",
            "jvm",
            "--instances",
            "4",
            "--warmup",
            "1",
            "--warmup-time",
            "200ms",
            "--clients",
            "1,2",
            "--out",
            out.toString(),
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      rows.add(JSON.readTree(line));
    }
    assertThat(rows).hasSize(4);
    for (JsonNode row : rows) {
      assertThat(row.get("failed").asInt()).as(row.toString()).isZero();
      assertThat(row.get("instances").asInt()).isEqualTo(4);
      assertThat(row.get("p50Ms").asDouble()).isPositive();
      assertThat(row.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(row.get("p50Ms").asDouble());
      assertThat(row.get("instancesPerSec").asDouble()).isPositive();
      assertThat(row.get("workers").asInt()).isEqualTo(2);
    }
    assertThat(rows).extracting(n -> n.get("mode").asText()).contains("worker", "master");

    List<String> results = Files.readAllLines(out.resolve("results.csv"));
    assertThat(results.get(0)).startsWith("workflow,mode,store,");
    assertThat(results).hasSize(5);
    int columns = results.get(0).split(",", -1).length;
    assertThat(results.subList(1, 5))
        .allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(columns));
    List<String> samples = Files.readAllLines(out.resolve("samples.csv"));
    assertThat(samples.get(0)).contains("latencyMs");
    assertThat(samples).hasSize(1 + 4 * 4);
    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).contains("## fileprocessing").contains("(baseline)");

    try (var files = Files.list(out)) {
      List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
      // latency CDF, overheads, throughput vs load (two loads)
      assertThat(pngs).hasSize(3);
      for (Path png : pngs) {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(png.toString()).isNotNull();
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(800);
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(500);
        assertThat(summary).contains("(" + png.getFileName() + ")");
      }
    }
  }

  @Test
  void progressOnAndOffRunSideBySideAgainstTheOffBaseline() throws Exception {
    Run r =
        bench(
            CORPUS.resolve("faasflow/wordcount/flat_workflow.yaml").toString(),
            "--synthetic",
            "--time-scale",
            "0",
            "--workers",
            "2",
            "--progress",
            "on,off",
            "--baseline",
            "progress=off",
            "--cluster",
            "jvm",
            "--instances",
            "3",
            "--warmup",
            "1",
            "--out",
            out.toString(),
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      rows.add(JSON.readTree(line));
    }
    assertThat(rows).extracting(n -> n.get("progress").asText()).containsExactly("on", "off");
    assertThat(rows).allSatisfy(n -> assertThat(n.get("failed").asInt()).isZero());
    List<String> results = Files.readAllLines(out.resolve("results.csv"));
    assertThat(results.get(0)).contains(",linkBandwidth,progress,");
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("progress=off")
        .contains("progress off (baseline)");
  }

  @Test
  void aProgressValueOtherThanOnOrOffIsABadArgument() {
    Run r =
        bench(
            CORPUS.resolve("faasflow/wordcount/flat_workflow.yaml").toString(),
            "--progress",
            "maybe",
            "--cluster",
            "jvm",
            "--out",
            out.resolve("x").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--progress: must be on or off, got maybe");
  }

  @Test
  void aStoreThatNeedsRedisWithoutOneIsAClearError() {
    Run r =
        bench(
            CORPUS.resolve("faasflow/wordcount/flat_workflow.yaml").toString(),
            "--store",
            "redis",
            "--redis",
            "127.0.0.1:1",
            "--cluster",
            "jvm",
            "--out",
            out.resolve("x").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("needs Redis, and none answers at 127.0.0.1:1");
  }
}

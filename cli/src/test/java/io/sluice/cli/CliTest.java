package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.format.WfformatGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line, in-process, exactly as {@code bin/sluice} runs it. */
class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path ROOT = Path.of(System.getProperty("sluice.root", ".."));
  static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../corpus"));

  record Result(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  static Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }

  static Stream<String> examples() throws Exception {
    try (Stream<Path> s = Files.list(ROOT.resolve("examples"))) {
      List<String> files =
          s.filter(p -> p.toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
      assertThat(files).hasSizeGreaterThanOrEqualTo(7);
      return files.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleRunsToCompletion(String file) throws Exception {
    Result r = sluice("run", file, "--time-scale", "0", "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("completed");
    assertThat(j.get("nodesExecuted").asInt()).isPositive();
    assertThat(j.has("instanceId") && j.has("invocations") && j.has("elapsedMs")).isTrue();
  }

  @Test
  void graphOutputReachesAStreamThatDoesNotFlushItself() {
    // The process's own stdout does not flush on print(); bin/sluice graph | dot once got nothing.
    StringWriter out = new StringWriter();
    int exit =
        Main.execute(
            new PrintWriter(new java.io.BufferedWriter(out), false),
            new PrintWriter(new StringWriter(), false),
            "graph",
            ROOT.resolve("examples/hello.yaml").toString(),
            "--format",
            "dot");
    assertThat(exit).isZero();
    assertThat(out.toString()).startsWith("digraph \"hello\"");
  }

  @Test
  void runPrintsTheOutputAndTakesInputInlineOrFromAFile(@TempDir Path tmp) throws Exception {
    Result r =
        sluice("run", ROOT.resolve("examples/map.yaml").toString(), "--input", "{\"items\":[1,2]}");
    assertThat(r.exit()).isZero();
    assertThat(JSON.readTree(r.out()).get("count")).as(r.out()).isNotNull();
    assertThat(JSON.readTree(r.out()).get("count").asInt()).isEqualTo(2);
    Path in = tmp.resolve("in.json");
    Files.writeString(in, "{\"items\":[1,2,3]}");
    Result f = sluice("run", ROOT.resolve("examples/map.yaml").toString(), "--input", "@" + in);
    assertThat(JSON.readTree(f.out()).get("count").asInt()).isEqualTo(3);
    Result bad = sluice("run", ROOT.resolve("examples/map.yaml").toString(), "--input", "{oops");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--input").contains("not valid JSON");
  }

  @Test
  void aFailedWorkflowExitsOneAndSaysWhereItFailed(@TempDir Path tmp) throws Exception {
    Path wf = tmp.resolve("fails.yaml");
    Files.writeString(
        wf,
        """
        sluice: "1.0"
        name: fails
        functions:
          flaky: {runtime: synthetic, failAttempts: 5, failType: Boom}
        nodes:
          - id: try
            type: task
            function: flaky
            retry: {maxAttempts: 3, backoff: 1ms}
        """);
    Result r = sluice("run", wf.toString(), "--json", "--time-scale", "0");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("failed");
    assertThat(j.get("invocations").asInt()).isEqualTo(3);
    assertThat(j.get("error").get("node").asText()).isEqualTo("try");
    assertThat(j.get("error").get("type").asText()).isEqualTo("Boom");
  }

  @ParameterizedTest
  @CsvSource({
    "cycle.yaml, 'cycle'",
    "unknown-function.yaml, 'unknown-function.yaml:4: a: unknown function'",
    "bad-jq.yaml, 'bad-jq.yaml:13: route: '",
    "dangling.yaml, 'dangling.yaml:6: a: next'",
    "malformed.yaml, 'malformed.yaml:6: '",
  })
  void invalidDefinitionsExitTwoNamingThePlace(String file, String expected) {
    String path = Path.of("src/test/resources/invalid", file).toString();
    Result v = sluice("validate", path);
    assertThat(v.exit()).as(v.out()).isEqualTo(2);
    assertThat(v.out()).contains(expected);
    assertThat(v.out().lines()).allMatch(l -> l.matches("[^:]+:\\d+: \\S+: .+"));
    Result r = sluice("run", path, "--synthetic");
    if (!file.equals("unknown-function.yaml")) {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains(expected);
    }
  }

  @Test
  void unknownFunctionIsFineWithSyntheticOrARegistry(@TempDir Path tmp) throws Exception {
    String path = "src/test/resources/invalid/unknown-function.yaml";
    assertThat(sluice("validate", path, "--synthetic").exit()).isZero();
    Path reg = tmp.resolve("functions.yaml");
    Files.writeString(reg, "functions:\n  nowhere: {runtime: java, name: sluice.identity}\n");
    Result r = sluice("run", path, "--functions", reg.toString(), "--input", "{\"a\":1}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("a").asInt()).isEqualTo(1);
  }

  @Test
  void graphPrintsJsonThatReadsBackAndDot() throws Exception {
    String video = CORPUS.resolve("faasflow/video/flat_workflow.yaml").toString();
    Result j = sluice("graph", video, "--format", "json");
    assertThat(j.exit()).isZero();
    assertThat(j.json().get("nodes").size()).isEqualTo(6);
    Result d = sluice("graph", video, "--format", "dot");
    assertThat(d.out()).startsWith("digraph").contains("\"virtual1\" -> \"split\" [style=dashed]");
  }

  @Test
  void aTenThousandTaskTraceValidatesAndRuns(@TempDir Path tmp) throws Exception {
    Path trace = tmp.resolve("wide-seismology.json");
    Files.writeString(
        trace,
        WfformatGenerator.of(CORPUS.resolve("wfcommons/raw/seismology-chameleon-100p-001.json"))
            .generate(10_000));
    assertThat(sluice("validate", trace.toString()).exit()).isZero();
    Result r = sluice("run", trace.toString(), "--synthetic", "--time-scale", "0", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("nodes").asInt()).isEqualTo(10_000);
    assertThat(j.get("nodesExecuted").asInt()).isEqualTo(10_000);
    System.out.println("10,000-task trace: " + j.get("elapsedMs") + " ms in the engine");
  }
}

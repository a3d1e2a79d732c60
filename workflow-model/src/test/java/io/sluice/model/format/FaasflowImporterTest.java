package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaasflowImporterTest {
  private final FaasflowImporter importer = new FaasflowImporter();

  static WorkflowGraph load(String folder) {
    SourceDocument doc =
        SourceDocument.read(GraphChecks.corpus("faasflow", folder, "flat_workflow.yaml"));
    assertThat(new FaasflowImporter().accepts(doc)).isTrue();
    assertThat(new WfformatImporter().accepts(doc)).isFalse();
    return new FaasflowImporter().read(doc);
  }

  /**
   * Node counts from the corpus README; edge counts are the README's functions/edges column (every
   * {@code next.nodes} entry is one edge; FaaSFlow draws no edge for data read from a non-adjacent
   * function, e.g. wordcount's merge reading start's filename). They agree exactly. The
   * genome-scal-N rows are not in the README: their counts are those of the files.
   */
  @ParameterizedTest
  @CsvSource({
    "wordcount, 3, 2",
    "fileprocessing, 4, 4",
    "video, 6, 5",
    "illgal_recognizer, 10, 11",
    "cycles, 46, 52",
    "epigenomics, 45, 50",
    "genome, 50, 74",
    "soykb, 45, 77",
    "genome-scal-10, 10, 12",
    "genome-scal-25, 25, 37",
    "genome-scal-100, 100, 148",
    "genome-scal-200, 200, 296"
  })
  void importsCorpusWorkflow(String folder, int nodes, int edges) {
    WorkflowGraph g = load(folder);
    System.out.printf(
        "faasflow %-18s %4d nodes %4d edges%n", folder, g.nodes().size(), g.edges().size());
    assertThat(g.nodes()).hasSize(nodes);
    assertThat(g.edges()).hasSize(edges);
    GraphChecks.assertSound(g);
  }

  @Test
  void importsEveryFileOfTheCorpus() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(GraphChecks.corpus("faasflow"))) {
      files = s.filter(p -> p.getFileName().toString().equals("flat_workflow.yaml")).toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(12);
    for (Path f : files) {
      WorkflowGraph g = importer.read(SourceDocument.read(f));
      GraphChecks.assertSound(g);
      for (var n : g.nodes().values()) {
        if (n instanceof TaskNode t) {
          assertThat(g.functions()).containsKey(t.function());
        }
      }
    }
  }

  @Test
  void namesComeFromFunctionInfoElseTheFolder() {
    assertThat(load("illgal_recognizer").name()).isEqualTo("illgal_recognizer");
    assertThat(load("cycles").name()).isEqualTo("cycles");
    assertThat(load("genome-scal-25").name()).isEqualTo("genome-scal-25");
  }

  @Test
  void tasksCarryHintsAndSyntheticFunctions() {
    WorkflowGraph g = load("fileprocessing");
    TaskNode conversion = (TaskNode) g.node("conversion");
    assertThat(conversion.function()).isEqualTo("conversion");
    assertThat(conversion.options().hints().computeTime()).isEqualTo(Duration.ofSeconds(19));
    assertThat(conversion.options().hints().outputBytes()).isEqualTo(29600099);
    assertThat(conversion.options().hints().memoryBytes()).isEqualTo(256L << 20);
    assertThat(g.functions().values()).extracting(FunctionDef::runtime).containsOnly("synthetic");
    assertThat(g.functions()).containsOnlyKeys("start", "conversion", "sentiment", "upload");
    assertThat(g.edges()).contains(new Edge("conversion", "upload", Edge.Kind.NEXT, 29600099));
    assertThat(g.edges()).contains(new Edge("start", "sentiment", Edge.Kind.NEXT, 29600094));
    assertThat(g.node("upload").options().input()).isNotNull();
    assertThat(g.node("conversion").options().input()).isNull();
  }

  @Test
  void scientificEdgesCountTheFilesThatTheParentOutputs() {
    WorkflowGraph g = load("genome-scal-10");
    Edge e =
        g.edges().stream()
            .filter(x -> x.from().equals("individuals_00000001"))
            .findFirst()
            .orElseThrow();
    assertThat(e.bytes()).isEqualTo(76204);
  }

  @Test
  void sizesWhoseSumOverflowsGiveTheLargestHintNotANegativeOne() {
    String yaml =
        """
        functions:
        - name: a
          source: a
          output:
            x: {type: normal, size: 1.0e308}
            y: {type: normal, size: 5}
          next: {type: pass, nodes: [b]}
        - name: b
          source: b
          input:
            x: {type: normal, value: {function: a, parameter: x}, size: 1.0e308}
            y: {type: normal, value: {function: a, parameter: y}, size: 5}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("big.yaml", yaml));
    assertThat(g.node("a").options().hints().outputBytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(g.edges()).extracting(Edge::bytes).containsExactly(Long.MAX_VALUE);
  }
}

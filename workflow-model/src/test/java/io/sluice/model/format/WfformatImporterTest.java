package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WfformatImporterTest {
  private final WfformatImporter importer = new WfformatImporter();

  static WorkflowGraph load(String file) {
    SourceDocument doc = SourceDocument.read(GraphChecks.corpus("wfcommons", "raw", file));
    assertThat(new WfformatImporter().accepts(doc)).isTrue();
    assertThat(new FaasflowImporter().accepts(doc)).isFalse();
    return new WfformatImporter().read(doc);
  }

  /** Task counts from the corpus README; edges are the union of parents and children lists. */
  @ParameterizedTest
  @CsvSource({
    "epigenomics-chameleon-hep-1seq-100k-001.json, 41, 48",
    "epigenomics-chameleon-hep-1seq-100k-001.v1.4.json, 41, 48",
    "cycles-chameleon-2l-1c-9p-001.json, 133, 194",
    "montage-chameleon-2mass-01d-001.json, 103, 231",
    "seismology-chameleon-100p-001.json, 101, 100",
    "blast-chameleon-small-001.json, 43, 120"
  })
  void importsCorpusTrace(String file, int nodes, int edges) {
    WorkflowGraph g = load(file);
    System.out.printf(
        "wfformat %-52s %4d nodes %4d edges%n", file, g.nodes().size(), g.edges().size());
    assertThat(g.nodes()).hasSize(nodes);
    assertThat(g.edges()).hasSize(edges);
    GraphChecks.assertSound(g);
    assertThat(g.functions().values()).extracting(FunctionDef::runtime).containsOnly("synthetic");
    g.nodes()
        .values()
        .forEach(n -> assertThat(g.functions()).containsKey(((TaskNode) n).function()));
  }

  @Test
  void twinsOfSchema14And15GiveTheSameGraph() {
    WorkflowGraph v15 = load("epigenomics-chameleon-hep-1seq-100k-001.json");
    WorkflowGraph v14 = load("epigenomics-chameleon-hep-1seq-100k-001.v1.4.json");
    assertThat(v14.nodes().keySet()).isEqualTo(v15.nodes().keySet());
    assertThat(GraphChecks.edgePairs(v14)).isEqualTo(GraphChecks.edgePairs(v15));
    assertThat(new java.util.HashSet<>(v14.edges()))
        .isEqualTo(new java.util.HashSet<>(v15.edges()));
    for (String id : v15.nodes().keySet()) {
      assertThat(v14.node(id).options().hints()).as(id).isEqualTo(v15.node(id).options().hints());
    }
    // 1.4 names the category; 1.5 has none, so the name without its ID suffix is used
    assertThat(((TaskNode) v14.node("chr21_chr21_ID0000001")).function()).isEqualTo("chr21");
    assertThat(((TaskNode) v15.node("chr21_chr21_ID0000001")).function()).isEqualTo("chr21_chr21");
  }

  @Test
  void hintsAndEdgeBytesComeFromTheTrace() {
    WorkflowGraph g = load("montage-chameleon-2mass-01d-001.json");
    TaskNode t = (TaskNode) g.node("mProject_ID0000001");
    assertThat(t.function()).isEqualTo("mProject");
    assertThat(t.options().hints().computeTime()).isEqualTo(Duration.ofMillis(15712));
    assertThat(t.options().hints().memoryBytes()).isEqualTo(14692000);
    assertThat(t.options().hints().outputBytes()).isPositive();
    Edge e =
        g.edges().stream()
            .filter(
                x -> x.from().equals("mProject_ID0000001") && x.to().equals("mDiffFit_ID0000008"))
            .findFirst()
            .orElseThrow();
    assertThat(e.bytes()).isPositive();
    assertThat(g.name()).isEqualTo("montage");
    long total =
        load("epigenomics-chameleon-hep-1seq-100k-001.json").edges().stream()
            .mapToLong(Edge::bytes)
            .sum();
    assertThat(total).isEqualTo(353323676L); // computed independently from the trace's files
    TaskNode blast = (TaskNode) load("blast-chameleon-small-001.json").node("split_fasta_ID000001");
    assertThat(blast.options().hints().cores()).isEqualTo(1.0);
    assertThat(blast.options().hints().memoryBytes()).isEqualTo(3000000);
  }

  @Test
  void readsOldWorkflowHubJobs() {
    String json =
        """
        {"name": "old", "schemaVersion": "1.0", "workflow": {"jobs": [
          {"name": "split_ID01", "type": "compute", "runtime": 2.5, "memory": 1024, "cores": 2,
           "parents": [], "files": [{"link": "output", "name": "a.txt", "size": 100}]},
          {"name": "work/x_ID02", "type": "compute", "runtime": 1, "parents": ["split_ID01"],
           "files": [{"link": "input", "name": "a.txt", "size": 100},
                     {"link": "output", "name": "b.txt", "size": 7}]},
          {"name": "join", "runtime": 1, "parents": ["work/x_ID02", "split_ID01"]}
        ]}}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("old.json", json));
    assertThat(g.nodes()).containsOnlyKeys("split_ID01", "work_x_ID02", "join");
    GraphChecks.assertSound(g);
    TaskNode split = (TaskNode) g.node("split_ID01");
    assertThat(split.function()).isEqualTo("split");
    assertThat(split.options().hints().memoryBytes()).isEqualTo(1024000);
    assertThat(split.options().hints().cores()).isEqualTo(2.0);
    assertThat(split.options().hints().computeTime()).isEqualTo(Duration.ofMillis(2500));
    Map<String, Long> bytes = new HashMap<>();
    g.edges().forEach(e -> bytes.put(e.from() + ">" + e.to(), e.bytes()));
    assertThat(bytes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("split_ID01>work_x_ID02", 100L, "work_x_ID02>join", 0L, "split_ID01>join", 0L));
  }

  @Test
  void readsMakeflowStyle14WithChildrenOnlyOnOneSide() {
    String json =
        """
        {"name": "makeflow-blast-small", "schemaVersion": "1.4",
         "wms": {"name": "Makeflow"}, "workflow": {"executedAt": "x", "tasks": [
          {"name": "split_fasta_ID000001", "type": "compute", "parents": [],
           "children": ["blastall_ID000002", "blastall_ID000003"],
           "files": [{"link": "output", "name": "small.fasta.0", "sizeInBytes": 6},
                     {"link": "output", "name": "small.fasta.1", "sizeInBytes": 6},
                     {"link": "input", "name": "small.fasta", "sizeInBytes": 203}],
           "cores": 1, "id": "ID000001", "category": "split_fasta",
           "runtimeInSeconds": 0.052991, "memoryInBytes": 3000000},
          {"name": "blastall_ID000002", "type": "compute", "parents": ["split_fasta_ID000001"],
           "children": [], "id": "ID000002", "category": "blastall",
           "files": [{"link": "input", "name": "small.fasta.0", "sizeInBytes": 6}]},
          {"name": "blastall_ID000003", "type": "compute", "parents": [],
           "id": "ID000003", "category": "blastall",
           "files": [{"link": "input", "name": "small.fasta.1", "sizeInBytes": 6}]}
        ]}}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("blast.json", json));
    assertThat(g.name()).isEqualTo("makeflow-blast-small");
    assertThat(g.edges())
        .containsExactlyInAnyOrder(
            new Edge("split_fasta_ID000001", "blastall_ID000002", Edge.Kind.NEXT, 6),
            new Edge("split_fasta_ID000001", "blastall_ID000003", Edge.Kind.NEXT, 6));
    assertThat(((TaskNode) g.node("blastall_ID000003")).function()).isEqualTo("blastall");
  }

  @Test
  void readsNextflowStyleTracesWithPathFileIdsAndNoExecution() {
    String json =
        """
        {"name": "bacass", "schemaVersion": "1.6", "workflow": {"specification": {
          "tasks": [
            {"name": "NFCORE.FASTQC", "id": "NFCORE.FASTQC_2", "parents": [],
             "children": ["NFCORE.MULTIQC_11"], "inputFiles": ["/raw/a.fastq.gz"],
             "outputFiles": ["/b6/e9/a_fastqc.zip"]},
            {"name": "NFCORE.MULTIQC", "id": "NFCORE.MULTIQC_11",
             "parents": ["NFCORE.FASTQC_2"], "children": [],
             "inputFiles": ["/b6/e9/a_fastqc.zip"], "outputFiles": []}
          ],
          "files": [{"id": "/raw/a.fastq.gz", "sizeInBytes": 57604034},
                    {"id": "/b6/e9/a_fastqc.zip", "sizeInBytes": 406073}]}}}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("nf.json", json));
    assertThat(g.nodes()).containsOnlyKeys("NFCORE.FASTQC_2", "NFCORE.MULTIQC_11");
    assertThat(((TaskNode) g.node("NFCORE.FASTQC_2")).function()).isEqualTo("NFCORE.FASTQC");
    assertThat(g.node("NFCORE.FASTQC_2").options().hints().outputBytes()).isEqualTo(406073);
    assertThat(g.node("NFCORE.FASTQC_2").options().hints().computeTime()).isZero();
    assertThat(g.edges())
        .containsExactly(new Edge("NFCORE.FASTQC_2", "NFCORE.MULTIQC_11", Edge.Kind.NEXT, 406073));
  }

  @Test
  void slashesInTaskIdsAreReplaced() {
    String json =
        """
        {"name": "s", "schemaVersion": "1.5", "workflow": {"specification": {"tasks": [
          {"name": "a", "id": "p/a_1", "parents": [], "children": ["p/b_2"]},
          {"name": "b", "id": "p/b_2", "parents": ["p/a_1"], "children": []}]}}}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("s.json", json));
    assertThat(g.nodes()).containsOnlyKeys("p_a_1", "p_b_2");
    assertThat(g.edges()).containsExactly(new Edge("p_a_1", "p_b_2", Edge.Kind.NEXT, 0));
    GraphChecks.assertSound(g);
  }

  @Test
  void aTaskThatIsNotAnObjectIsAProblemAtTheTasksLine() {
    String v15 =
        """
        {"name": "s", "schemaVersion": "1.5", "workflow": {"specification": {
          "tasks": [
            {"name": "a", "id": "a_1", "parents": [], "children": []},
            5.9]}}}
        """;
    var e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.sluice.model.DefinitionException.class,
            () -> importer.read(SourceDocument.parse("s.json", v15)));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).location().line()).isEqualTo(2);
    assertThat(e.problems().get(0).message()).isEqualTo("a task must be an object, got 5.9");
    String v14 =
        """
        {"name": "s", "schemaVersion": "1.4", "workflow": {
          "tasks": [null]}}
        """;
    e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.sluice.model.DefinitionException.class,
            () -> importer.read(SourceDocument.parse("s.json", v14)));
    assertThat(e.problems().get(0).location().line()).isEqualTo(2);
  }

  @Test
  void fileSizesWhoseSumOverflowsGiveTheLargestHintNotANegativeOne() {
    String json =
        """
        {"name": "s", "schemaVersion": "1.5", "workflow": {"specification": {
          "tasks": [
            {"name": "a", "id": "a_1", "parents": [], "children": ["b_2"],
             "outputFiles": ["f", "g"]},
            {"name": "b", "id": "b_2", "parents": ["a_1"], "children": [],
             "inputFiles": ["f", "g"]}],
          "files": [{"id": "f", "sizeInBytes": 1e308}, {"id": "g", "sizeInBytes": 5}]}}}
        """;
    WorkflowGraph g = importer.read(SourceDocument.parse("s.json", json));
    assertThat(g.node("a_1").options().hints().outputBytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(g.edges()).extracting(Edge::bytes).containsExactly(Long.MAX_VALUE);
  }
}

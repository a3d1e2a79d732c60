package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workflow of the corpus (FaaSFlow benchmarks, WfCommons traces) validates and runs to
 * completion on synthetic functions with no compute time.
 */
class CorpusRunTest {
  static Path corpus() {
    return Path.of(System.getProperty("sluice.corpus", "../corpus"));
  }

  static Stream<Arguments> corpusFiles() throws IOException {
    Path root = corpus();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(
                  p ->
                      p.getFileName().toString().equals("flat_workflow.yaml")
                          || p.getParent().getFileName().toString().equals("raw"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(18);
    return files.stream().map(p -> Arguments.of(root.relativize(p).toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void runsToCompletion(String name, Path file) throws Exception {
    Definitions.load(file, null, true);
    InstanceStatus s =
        LocalRun.run(file, new LocalRun.Options(NullNode.getInstance(), null, true, 0, 0));
    assertThat(s.state()).as(name + ": " + s.error()).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.nodesExecuted() + s.nodesSkipped()).isEqualTo(s.nodes());
    assertThat(s.nodesExecuted()).isPositive();
    Integer expected = ALL_RUN.get(file.getParent().getFileName() + "/" + file.getFileName());
    if (expected != null) {
      assertThat(s.nodes()).isEqualTo(expected);
      assertThat(s.nodesExecuted()).isEqualTo(expected);
    }
  }

  /** Workflows without switches: every node runs. Counts from the corpus README. */
  private static final java.util.Map<String, Integer> ALL_RUN =
      java.util.Map.ofEntries(
          java.util.Map.entry("wordcount/flat_workflow.yaml", 3),
          java.util.Map.entry("fileprocessing/flat_workflow.yaml", 4),
          java.util.Map.entry("cycles/flat_workflow.yaml", 46),
          java.util.Map.entry("epigenomics/flat_workflow.yaml", 45),
          java.util.Map.entry("genome/flat_workflow.yaml", 50),
          java.util.Map.entry("soykb/flat_workflow.yaml", 45),
          java.util.Map.entry("raw/epigenomics-chameleon-hep-1seq-100k-001.json", 41),
          java.util.Map.entry("raw/epigenomics-chameleon-hep-1seq-100k-001.v1.4.json", 41),
          java.util.Map.entry("raw/cycles-chameleon-2l-1c-9p-001.json", 133),
          java.util.Map.entry("raw/montage-chameleon-2mass-01d-001.json", 103),
          java.util.Map.entry("raw/seismology-chameleon-100p-001.json", 101),
          java.util.Map.entry("raw/blast-chameleon-small-001.json", 43));
}

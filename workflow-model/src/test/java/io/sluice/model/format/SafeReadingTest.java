package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Definitions from anyone are read with bounded memory and stack, and what is ambiguous is an error
 * at its line: alias bombs, recursive aliases, deep nesting, duplicate keys, durations out of
 * range.
 */
class SafeReadingTest {

  private static DefinitionException failure(String file, String text) {
    DefinitionException e =
        catchThrowableOfType(
            DefinitionException.class, () -> new WorkflowLoader().load(file, text));
    assertThat(e).as("a DefinitionException for " + file).isNotNull();
    return e;
  }

  @Test
  void aliasBombIsRefusedBeforeItExpands() {
    // nine levels of nine aliases: 9^9 (387 million) values from ~1 KB of text
    StringBuilder y =
        new StringBuilder("sluice: \"1.0\"\nname: bomb\na0: &a0 [x,x,x,x,x,x,x,x,x]\n");
    for (int i = 1; i <= 9; i++) {
      String p = "*a" + (i - 1);
      y.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(String.join(",", java.util.Collections.nCopies(9, p)))
          .append("]\n");
    }
    y.append("nodes: []\n");
    assertThat(y.length()).isLessThan(1500);
    DefinitionException e = failure("bomb.yaml", y.toString());
    assertThat(e.getMessage()).contains("bomb.yaml:").contains("alias bomb");
  }

  @Test
  void recursiveAliasIsAnErrorAtItsLine() {
    DefinitionException e =
        failure("loop.yaml", "sluice: \"1.0\"\nname: loop\nx: &x\n  - a\n  - *x\nnodes: []\n");
    assertThat(e.problems().get(0).location().line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("recursive YAML alias");
  }

  @Test
  void tooManyAliasesAreRefused() {
    StringBuilder y = new StringBuilder("sluice: \"1.0\"\nname: many\na: &a [1]\nb: [");
    for (int i = 0; i <= SourceDocument.MAX_ALIASES; i++) {
      y.append(i == 0 ? "" : ",").append("*a");
    }
    y.append("]\nnodes: []\n");
    assertThat(failure("many.yaml", y.toString()).getMessage())
        .contains("more than " + SourceDocument.MAX_ALIASES + " aliases");
  }

  @Test
  void deepNestingIsRefusedInYamlAndJson() {
    String deepYaml = "sluice: \"1.0\"\nx: " + "[".repeat(300) + "]".repeat(300) + "\n";
    assertThat(failure("deep.yaml", deepYaml).getMessage()).contains("deep.yaml:");
    String deepJson = "{\"sluice\": \"1.0\", \"x\": " + "[".repeat(300) + "]".repeat(300) + "}";
    assertThat(failure("deep.json", deepJson).getMessage()).contains("deep.json");
  }

  @Test
  void duplicateKeysInTheNativeFormatNameBothLines() {
    String yaml =
        """
        sluice: "1.0"
        name: dup
        nodes:
          - {id: a, type: pass}
        nodes:
          - {id: b, type: pass}
        """;
    DefinitionException e = failure("dup.yaml", yaml);
    List<Problem> p = e.problems();
    assertThat(p).hasSize(1);
    assertThat(p.get(0).location().line()).isEqualTo(5);
    assertThat(p.get(0).message()).contains("duplicate key 'nodes'").contains("first at line 3");

    String json =
        "{\"sluice\": \"1.0\",\n \"name\": \"dup\",\n \"name\": \"again\", \"nodes\": []}";
    assertThat(failure("dup.json", json).problems().get(0).message())
        .contains("duplicate key 'name'")
        .contains("first at line 2");
  }

  @Test
  void importedFaasflowKeepsTheLastValueAsPyYamlDoes() {
    String yaml =
        """
        functions:
        - name: a
          source: a
          source: b
        """;
    SourceDocument doc = SourceDocument.parse("f.yaml", yaml);
    assertThat(doc.duplicateKeys()).hasSize(1);
    WorkflowGraph g = new FaasflowImporter().read(doc);
    assertThat(g.nodes()).hasSize(1);
  }

  @Test
  void hugeDurationIsAnErrorAtItsLine() {
    String yaml =
        """
        sluice: "1.0"
        name: slow
        nodes:
          - id: a
            type: wait
            duration: 99999999999999999999d
        """;
    DefinitionException e = failure("slow.yaml", yaml);
    assertThat(e.problems().get(0).location().line()).isEqualTo(6);
    assertThat(e.getMessage()).contains("longer than the longest");
    assertThatThrownBy(() -> Durations.parse("1.5ns")).hasMessageContaining("finer than");
    assertThatThrownBy(() -> Durations.parse("PT9999999999999999H"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Durations.parse("106751d")).isNotNull();
  }

  @Test
  void everyCorpusDefinitionStillReads() throws Exception {
    Path corpus = Path.of(System.getProperty("sluice.corpus", "../corpus"));
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files =
          s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .toList();
    }
    assertThat(files).isNotEmpty();
    int read = 0;
    for (Path f : files) {
      SourceDocument doc = SourceDocument.read(f);
      assertThat(doc.root()).as(f.toString()).isNotNull();
      read++;
    }
    assertThat(read).isEqualTo(files.size());
  }
}

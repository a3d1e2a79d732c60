package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.nio.charset.StandardCharsets;
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
    // counted before anything is built, and named at the smallest list that alone is too large:
    // a6 (about 9^7 values, over MAX_NODES) on line 9; a5 (about 9^6) is under it
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).location().line()).isEqualTo(9);
    assertThat(e.problems().get(0).message())
        .startsWith("this list expands to more than " + SourceDocument.MAX_NODES + " values");
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
  void theComposersOwnLimitsNameTheLineTheyStopAt() {
    // SnakeYAML's composer throws these without a mark; the reader must still say where.
    String deep = "sluice: \"1.0\"\nname: deep\nx:\n  y: " + "[".repeat(300) + "]".repeat(300);
    Problem nested = failure("deep.yaml", deep).problems().get(0);
    assertThat(nested.location().line()).isEqualTo(4);
    assertThat(nested.message()).contains("nested more than " + SourceDocument.MAX_NESTING);

    StringBuilder y = new StringBuilder("sluice: \"1.0\"\nname: many\na: &a [1]\nb:\n");
    for (int i = 0; i <= SourceDocument.MAX_ALIASES; i++) {
      y.append("  - *a\n");
    }
    String json = "{\"sluice\": \"1.0\",\n \"x\":\n " + "[".repeat(300) + "]".repeat(300) + "}";
    Problem jsonNested = failure("deep.json", json).problems().get(0);
    assertThat(jsonNested.location().line()).isEqualTo(3);
    assertThat(jsonNested.message()).contains("nested more than " + SourceDocument.MAX_NESTING);

    Problem aliases = failure("many.yaml", y.toString()).problems().get(0);
    // the alias past the limit is the last one, on line 5 + MAX_ALIASES
    assertThat(aliases.location().line()).isEqualTo(5 + SourceDocument.MAX_ALIASES);
  }

  @Test
  void bytesThatAreNotUtf8AreAnErrorAtTheirLine(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // a file cut inside a two-byte character ('é' is C3 A9), then a line more
    byte[] text = "sluice: \"1.0\"\nname: caf\u00e9\nx: 1\n".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(text, 25); // "sluice: \"1.0\"\nname: caf" and C3
    cut[24] = '\n';
    Path file = dir.resolve("cut.yaml");
    Files.write(file, cut);
    DefinitionException e =
        catchThrowableOfType(DefinitionException.class, () -> new WorkflowLoader().load(file));
    assertThat(e.problems()).hasSize(1);
    Problem p = e.problems().get(0);
    assertThat(p.location().line()).isEqualTo(2);
    assertThat(p.message()).startsWith("not UTF-8: byte 0xC3 at column 10").doesNotContain("java.");
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

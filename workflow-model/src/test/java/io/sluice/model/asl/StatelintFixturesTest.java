package io.sluice.model.asl;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.format.WorkflowLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference linter's own fixtures (awslabs/statelint, vendored in {@code
 * src/test/resources/statelint} with its license): where statelint finds N problems, Sluice finds
 * N, at a line, naming the state (or the machine), with the text {@code expected.tsv} gives; where
 * statelint finds none, Sluice refuses nothing as invalid — it may only say a feature is not
 * supported (docs/importers.md lists them).
 */
class StatelintFixturesTest {

  static Stream<Arguments> fixtures() {
    List<Arguments> out = new ArrayList<>();
    for (String line : read("expected.tsv").split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.add(Arguments.of(f[0], Integer.parseInt(f[1]), f[3], f[4]));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("fixtures")
  void sluiceReportsWhatStatelintReports(
      String fixture, int statelintProblems, String sluiceText, String description) {
    List<Problem> problems;
    try {
      new WorkflowLoader().load(fixture, read("test/" + fixture));
      problems = List.of();
    } catch (DefinitionException e) {
      problems = e.problems();
    }
    if (statelintProblems == 0) {
      assertThat(problems)
          .as("valid ASL: only features Sluice does not support may be reported")
          .allSatisfy(p -> assertThat(p.message()).contains("not supported"));
      return;
    }
    assertThat(problems).as(problems.toString()).hasSize(statelintProblems);
    for (Problem p : problems) {
      assertThat(p.location().line()).as(p.toString()).isPositive();
      assertThat(p.toString()).startsWith(fixture + ":");
    }
    String all = problems.toString();
    for (String text : sluiceText.split(" \\| ")) {
      assertThat(all).contains(text);
    }
  }

  private static String read(String name) {
    try (InputStream in = StatelintFixturesTest.class.getResourceAsStream("/statelint/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

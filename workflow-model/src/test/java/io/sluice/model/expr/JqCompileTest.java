package io.sluice.model.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What compiling jq from a definition says about expressions too large for the parser. */
class JqCompileTest {
  private final JqEvaluator jq = JqEvaluator.shared();

  @Test
  void nestingDeeperThanTheParserRecursesIsAnErrorNotAStackOverflow() {
    for (String deep :
        new String[] {
          "[".repeat(200_000), "(1|".repeat(50_000) + "1", "if . then 1 else ".repeat(20_000) + "1"
        }) {
      String problem = jq.check(deep);
      assertThat(problem).isNotNull().contains("nested too deeply to compile");
      // the message quotes the start of the expression and its length, not all of it
      assertThat(problem.length()).isLessThan(400);
      assertThat(problem).contains("(" + deep.length() + " characters)");
    }
    assertThat(jq.check("[[[1]]] | .[0]")).isNull();
  }
}

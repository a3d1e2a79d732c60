package io.sluice.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.model.Expr;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runaway jq fails with a clear error and leaves the thread usable; ordinary jq is unaffected. */
class JqBudgetTest {
  private final JqEvaluator jq = JqEvaluator.shared();

  private Object eval(String source) {
    return jq.first(Expr.of(source), IntNode.valueOf(1), Map.of());
  }

  @Test
  void hugeReduceStopsAtTheBudget() {
    assertThatThrownBy(() -> eval("reduce range(0;1e15) as $i (0; .+$i)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("budget");
  }

  @Test
  void hugeArrayStopsBeforeTheHeapFills() {
    assertThatThrownBy(() -> eval("[range(0;1e10)] | length"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("budget");
  }

  @Test
  void infiniteGeneratorsAndRecursionEnd() {
    assertThatThrownBy(() -> eval("[recurse(.+1)] | length"))
        .isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> eval("def f: f; f")).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> eval("def f: .+1 | f; f")).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> eval("[limit(1e12; recurse(.+1))] | length"))
        .isInstanceOf(ExpressionException.class);
  }

  @Test
  void jqTryCannotSwallowTheBudget() {
    assertThatThrownBy(() -> eval("reduce range(0;1e15) as $i (0; try (.+$i) catch 0)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("budget");
  }

  @Test
  void ordinaryExpressionsStillWorkAfterARunawayOne() {
    assertThatThrownBy(() -> eval("[range(0;1e10)]")).isInstanceOf(ExpressionException.class);
    assertThat(eval("[range(0;100000)] | length").toString()).isEqualTo("100000");
    assertThat(eval("[.,.] | map(. * 2) | add").toString()).isEqualTo("4");
  }

  @Test
  void catastrophicBacktrackingStopsAtTheTimeBudget() {
    // (a+)+$ on 36 a's and a '!' backtracks for hours in an unbounded matcher
    String evil = "\"" + "a".repeat(36) + "!\"";
    for (String jq :
        new String[] {
          evil + " | test(\"(a+)+$\")",
          evil + " | [match(\"(a+)+$\"; \"g\")]",
          evil + " | gsub(\"(a+)+$\"; \"x\")"
        }) {
      assertThatThrownBy(() -> eval(jq))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("budget");
    }
    assertThat(eval("\"aXbXc\" | gsub(\"X\"; \"-\")").toString()).isEqualTo("\"a-b-c\"");
    assertThat(eval("\"abc\" | [match(\"\"; \"g\")] | length").toString()).isEqualTo("3");
  }

  @Test
  void gsubWithAnEmptyMatchIsAnErrorNotAnEndlessLoop() {
    assertThatThrownBy(() -> eval("\"abc\" | gsub(\"x*\"; \"-\")"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("matches the empty string never ends");
    assertThat(eval("\"abc\" | sub(\"\"; \"x\")").toString()).isEqualTo("\"xabc\"");
  }

  @Test
  void valuesThatGrowFasterThanTheStepsStopAtABudgetNotAtTheHeap() {
    // Each step builds a value twice the last (or 300 MB at once): 64 steps would need 2^64
    // bytes. The memory budget (1 GiB allocated, at most a quarter of the heap) or the time
    // budget, read after every step that allocated much, stops it - whichever comes first on this
    // machine - never the heap.
    for (String jq :
        new String[] {
          "reduce range(0; 64) as $i (\"x\"; . + .)",
          "reduce range(0; 64) as $i ([1]; . + .)",
          "[range(0; 16) | \"x\" * 300000000 | length] | add"
        }) {
      assertThatThrownBy(() -> eval(jq))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("than its budget of")
          .hasMessageNotContaining("heap");
    }
  }
}

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
}

package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.Expr;
import io.sluice.model.expr.JqEvaluator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonConditionTest {

  private static boolean eval(String condition, String input) {
    Expr jq = Expr.of(PythonCondition.toJq(condition));
    return JqEvaluator.truthy(
        JqEvaluator.shared().first(jq, FaasflowStructureTest.json(input), Map.of()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "INPUT.flag               | {\"flag\": 1}                  | true",
        "INPUT.flag               | {\"flag\": 0.0}                | false",
        "INPUT['flag']            | {\"flag\": \"x\"}              | true",
        "INPUT[\"a-b\"]           | {\"a-b\": [1]}                 | true",
        "INPUT.a.b                | {\"a\": {\"b\": {}}}           | false",
        "INPUT.items[0]           | {\"items\": [3]}               | true",
        "INPUT.n > 2              | {\"n\": 3}                     | true",
        "INPUT.n <= 2             | {\"n\": 3}                     | false",
        "INPUT.kind == 'video'    | {\"kind\": \"video\"}          | true",
        "INPUT.kind != \"video\"  | {\"kind\": \"video\"}          | false",
        "not INPUT.flag           | {\"flag\": []}                 | true",
        "INPUT.a and INPUT.b      | {\"a\": 1, \"b\": \"\"}        | false",
        "INPUT.a or INPUT.b       | {\"a\": 0, \"b\": 2}           | true",
        "(INPUT.n > 1) and not (INPUT.n == 5) | {\"n\": 4}        | true",
        "INPUT.x == None          | {}                             | true",
        "True                     | {}                             | true",
        "INPUT                    | {}                             | false"
      })
  void hasPythonTruthiness(String condition, String input, boolean expected) {
    assertThat(eval(condition.trim(), input.trim())).as(condition).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"len(INPUT.x) > 0", "INPUT.x + 1", "1 < INPUT.x < 3", "INPUT.x in [1]", "x", ""})
  void rejectsWhatItCannotTranslate(String condition) {
    assertThatThrownBy(() -> PythonCondition.toJq(condition))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported switch condition");
  }
}

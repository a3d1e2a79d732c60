package io.sluice.engine;

import static io.sluice.engine.AslRunner.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSONata query language (QueryLanguage: JSONata) on the embedded engine: Arguments, Output,
 * Condition, Items, ItemSelector and catcher Output, with $states.input, result, errorOutput and
 * context. Shapes from the AWS guide's "Transforming data with JSONata in Step Functions"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); the Choice case is
 * the spec's Choice example written as a JSONata Condition.
 */
class AslJsonataTest {
  private static AslRunner runner;

  @BeforeAll
  static void start() {
    runner = new AslRunner();
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  private static String machine(String states) {
    return "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"S\", \"States\": {" + states + "}}";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "pass Output",
            machine(
                "\"S\": {\"Type\": \"Pass\", \"Output\": {\"sum\": \"{% $states.input.a +"
                    + " $states.input.b %}\"}, \"End\": true}"),
            "{\"a\": 1, \"b\": 2}",
            "{\"sum\": 3}"),
        Arguments.of(
            "task Arguments and Output with input and result",
            machine(
                "\"S\": {\"Type\": \"Task\", \"Resource\": \"add\", \"Arguments\": {\"val1\":"
                    + " \"{% $states.input.x %}\", \"val2\": 4}, \"Output\": {\"x\": \"{%"
                    + " $states.input.x %}\", \"sum\": \"{% $states.result %}\"}, \"End\": true}"),
            "{\"x\": 3}",
            "{\"x\": 3, \"sum\": 7}"),
        Arguments.of(
            "choice Condition",
            machine(
                "\"S\": {\"Type\": \"Choice\", \"Choices\": [{\"Condition\": \"{%"
                    + " $states.input.value >= 20 and $states.input.value < 30 %}\", \"Next\":"
                    + " \"Twenties\"}], \"Default\": \"Other\"},"
                    + " \"Twenties\": {\"Type\": \"Pass\", \"Output\": \"twenties\", \"End\": true},"
                    + " \"Other\": {\"Type\": \"Pass\", \"Output\": \"other\", \"End\": true}"),
            "{\"type\": \"Private\", \"value\": 22}",
            "\"twenties\""),
        Arguments.of(
            "map Items and ItemSelector with the map context",
            machine(
                "\"S\": {\"Type\": \"Map\", \"Items\": \"{% $states.input.xs %}\","
                    + " \"ItemSelector\": {\"v\": \"{% $states.context.Map.Item.Value * 10 %}\", \"i\":"
                    + " \"{% $states.context.Map.Item.Index %}\", \"k\": \"{%"
                    + " $states.input.k %}\"}, \"ItemProcessor\": {\"StartAt\": \"P\", \"States\":"
                    + " {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}"),
            "{\"xs\": [1, 2], \"k\": \"key\"}",
            "[{\"v\": 10, \"i\": 0, \"k\": \"key\"}, {\"v\": 20, \"i\": 1, \"k\": \"key\"}]"),
        Arguments.of(
            "catch Output with errorOutput and the execution input",
            machine(
                "\"S\": {\"Type\": \"Task\", \"Resource\": \"custom\", \"Catch\":"
                    + " [{\"ErrorEquals\": [\"States.ALL\"], \"Output\": {\"error\": \"{%"
                    + " $states.errorOutput.Error %}\", \"id\": \"{%"
                    + " $states.context.Execution.Input.id %}\"}, \"Next\": \"H\"}], \"End\": true},"
                    + " \"H\": {\"Type\": \"Succeed\"}"),
            "{\"id\": 42}",
            "{\"error\": \"CustomError\", \"id\": 42}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jsonataStates(String name, String asl, String input, String expected) throws Exception {
    InstanceStatus s = runner.run(asl, input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output()).isEqualTo(json(expected));
  }
}

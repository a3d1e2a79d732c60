package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ASL variables ({@code Assign}) on the embedded engine, JSONPath and JSONata: assigned after a
 * state, visible to every later state, all fields of one Assign evaluated with the values from
 * before it, inner Map/Parallel states reading outer variables without their assignments leaking
 * out, Choice rule and catcher Assigns, and functions that never see the variables.
 */
class AslVariablesTest {
  private static AslRunner runner;

  @BeforeAll
  static void start() {
    runner = new AslRunner();
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  private static JsonNode ok(String asl, String input) throws Exception {
    InstanceStatus s = runner.run(asl, input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s.output();
  }

  @Test
  void assignedVariablesAreVisibleToLaterStatesInPathsAndIntrinsics() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "A", "States": {
              "A": {"Type": "Pass", "Assign": {"x": 1, "name.$": "$.who"}, "Next": "B"},
              "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "greeting.$":
                    "States.Format('hi {} #{}', $name, $x)"}, "End": true}}}
            """,
            "{\"who\": \"ann\"}");
    assertThat(out).isEqualTo(AslRunner.json("{\"x\": 1, \"greeting\": \"hi ann #1\"}"));
  }

  @Test
  void everyFieldOfOneAssignSeesTheValuesFromBeforeIt() throws Exception {
    // the spec's example: x and y swap, because both right-hand sides read the old values
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
              "Swap": {"Type": "Pass", "Assign": {"x.$": "$y", "y.$": "$x", "z.$": "$x"},
                       "Next": "Show"},
              "Show": {"Type": "Pass",
                       "Parameters": {"x.$": "$x", "y.$": "$y", "z.$": "$z"}, "End": true}}}
            """,
            "{}");
    assertThat(out).isEqualTo(AslRunner.json("{\"x\": 2, \"y\": 1, \"z\": 1}"));
  }

  @Test
  void aTaskAssignReadsItsResultAfterResultSelectorAndTheFunctionNeverSeesVariables()
      throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Set", "States": {
              "Set": {"Type": "Pass", "Assign": {"secret": 42}, "Next": "Call"},
              "Call": {"Type": "Task", "Resource": "echo",
                       "Parameters": {"v.$": "$.v", "s.$": "$secret"},
                       "ResultSelector": {"echoed.$": "$"},
                       "ResultPath": "$.call",
                       "Assign": {"got.$": "$.echoed.v"}, "Next": "Show"},
              "Show": {"Type": "Pass",
                       "Parameters": {"got.$": "$got", "call.$": "$.call", "v.$": "$.v"},
                       "End": true}}}
            """,
            "{\"v\": 7}");
    assertThat(out.get("got").asInt()).isEqualTo(7);
    // the function got exactly its Parameters: no envelope, no variables
    assertThat(out.get("call")).isEqualTo(AslRunner.json("{\"echoed\": {\"v\": 7, \"s\": 42}}"));
    assertThat(out.get("v").asInt()).isEqualTo(7);
  }

  @Test
  void aChoiceTestsAVariableAndTheMatchingRuleAssigns() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"limit": 10}, "Next": "Check"},
              "Check": {"Type": "Choice",
                "Choices": [
                  {"Variable": "$limit", "NumericGreaterThan": 5, "Next": "Big",
                   "Assign": {"path": "big"}},
                  {"Variable": "$limit", "NumericLessThanEquals": 5, "Next": "Small",
                   "Assign": {"path": "small"}}],
                "Assign": {"path": "default"}},
              "Big": {"Type": "Pass", "Parameters": {"path.$": "$path"}, "End": true},
              "Small": {"Type": "Pass", "Parameters": {"path.$": "$path"}, "End": true}}}
            """,
            "{}");
    assertThat(out).isEqualTo(AslRunner.json("{\"path\": \"big\"}"));
  }

  @Test
  void mapIterationsReadOuterVariablesButTheirAssignmentsStayInside() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"factor": 10, "inner": "outer"}, "Next": "M"},
              "M": {"Type": "Map", "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Scale", "States": {
                  "Scale": {"Type": "Pass", "Assign": {"inner": "changed"},
                            "Parameters": {"v.$": "$", "f.$": "$factor"}, "Next": "Read"},
                  "Read": {"Type": "Pass",
                           "Parameters": {"v.$": "$.v", "f.$": "$.f", "inner.$": "$inner"},
                           "End": true}}},
                "ResultPath": "$.scaled",
                "Assign": {"count.$": "States.ArrayLength($)"},
                "Next": "Show"},
              "Show": {"Type": "Pass",
                       "Parameters": {"scaled.$": "$.scaled", "inner.$": "$inner",
                                      "count.$": "$count"},
                       "End": true}}}
            """,
            "{\"items\": [1, 2]}");
    assertThat(out.get("scaled"))
        .isEqualTo(
            AslRunner.json(
                "[{\"v\": 1, \"f\": 10, \"inner\": \"changed\"},"
                    + " {\"v\": 2, \"f\": 10, \"inner\": \"changed\"}]"));
    assertThat(out.get("inner").asText()).isEqualTo("outer");
    assertThat(out.get("count").asInt()).isEqualTo(2);
  }

  @Test
  void parallelBranchesStartFromTheOuterVariablesAndDoNotLeak() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"base": 1}, "Next": "P"},
              "P": {"Type": "Parallel", "Branches": [
                  {"StartAt": "L", "States": {"L": {"Type": "Pass", "Assign": {"base": 100},
                     "Parameters": {"b.$": "$base"}, "End": true}}},
                  {"StartAt": "R", "States": {"R": {"Type": "Pass",
                     "Parameters": {"b.$": "$base"}, "End": true}}}],
                "Assign": {"first.$": "$[0].b"},
                "Next": "Show"},
              "Show": {"Type": "Pass", "Parameters": {"base.$": "$base", "first.$": "$first",
                       "out.$": "$"}, "End": true}}}
            """,
            "{}");
    assertThat(out.get("out")).isEqualTo(AslRunner.json("[{\"b\": 1}, {\"b\": 1}]"));
    assertThat(out.get("base").asInt()).isEqualTo(1);
    assertThat(out.get("first").asInt()).isEqualTo(1);
  }

  @Test
  void aCatcherAssignReadsTheErrorOutput() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Call", "States": {
              "Call": {"Type": "Task", "Resource": "custom",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle",
                           "Assign": {"err.$": "$.Error"}, "ResultPath": "$.failure"}],
                "End": true},
              "Handle": {"Type": "Pass",
                         "Parameters": {"err.$": "$err", "cause.$": "$.failure.Cause"},
                         "End": true}}}
            """,
            "{}");
    assertThat(out)
        .isEqualTo(
            AslRunner.json("{\"err\": \"CustomError\", \"cause\": \"This is a custom error!\"}"));
  }

  @Test
  void variablesLiveAcrossTheRoundsOfALoopingMachine() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Inc"},
              "Inc": {"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Next": "Check"},
              "Check": {"Type": "Choice",
                "Choices": [{"Variable": "$n", "NumericLessThan": 3, "Next": "Inc"}],
                "Default": "Done"},
              "Done": {"Type": "Pass", "Parameters": {"n.$": "$n"}, "End": true}}}
            """,
            "{}");
    assertThat(out).isEqualTo(AslRunner.json("{\"n\": 3}"));
  }

  @Test
  void jsonataExpressionsReadVariablesAndAssignSeesTheOldValues() throws Exception {
    JsonNode out =
        ok(
            """
            {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"x": 1, "total": "{% $states.input.start %}"},
                       "Next": "Call"},
              "Call": {"Type": "Task", "Resource": "echo",
                       "Arguments": {"v": "{% $x + 1 %}"},
                       "Assign": {"x": "{% $states.result.v %}", "old": "{% $x %}",
                                  "total": "{% $total + $states.result.v %}"},
                       "Next": "Show"},
              "Show": {"Type": "Pass",
                       "Output": {"x": "{% $x %}", "old": "{% $old %}", "total": "{% $total %}"},
                       "End": true}}}
            """,
            "{\"start\": 10}");
    assertThat(out).isEqualTo(AslRunner.json("{\"x\": 2, \"old\": 1, \"total\": 12}"));
  }

  @Test
  void jsonataChoiceRulesAndMapItemSelectorsReadAndAssignVariables() throws Exception {
    JsonNode out =
        ok(
            """
            {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"step": 2}, "Next": "Pick"},
              "Pick": {"Type": "Choice",
                "Choices": [{"Condition": "{% $step > 1 %}", "Next": "M",
                             "Assign": {"picked": "big"}}],
                "Default": "M", "Assign": {"picked": "default"}},
              "M": {"Type": "Map", "Items": "{% $states.input.items %}",
                "ItemSelector": {"v": "{% $states.context.Map.Item.Value * $step %}"},
                "ItemProcessor": {"StartAt": "I", "States": {
                  "I": {"Type": "Pass", "Output": "{% $states.input.v %}", "End": true}}},
                "Next": "Show"},
              "Show": {"Type": "Pass",
                       "Output": {"out": "{% $states.input %}", "picked": "{% $picked %}"},
                       "End": true}}}
            """,
            "{\"items\": [1, 2]}");
    assertThat(out).isEqualTo(AslRunner.json("{\"out\": [2, 4], \"picked\": \"big\"}"));
  }

  @Test
  void retriesAndCatchersStillWorkOnATaskOfAMachineWithVariables() throws Exception {
    JsonNode out =
        ok(
            """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Assign": {"tries": "many"}, "Next": "Call"},
              "Call": {"Type": "Task", "Resource": "flaky",
                "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 3, "IntervalSeconds": 1,
                           "BackoffRate": 1.0}],
                "Assign": {"answer.$": "$"}, "Next": "Hang"},
              "Hang": {"Type": "Task", "Resource": "hang", "TimeoutSeconds": 1,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Show",
                           "Assign": {"timedOut.$": "$.Error"}}],
                "End": true},
              "Show": {"Type": "Pass", "Parameters": {"answer.$": "$answer",
                       "timedOut.$": "$timedOut", "tries.$": "$tries"}, "End": true}}}
            """,
            "{}");
    assertThat(out.get("answer").asText()).startsWith("ok after");
    assertThat(out.get("timedOut").asText()).isEqualTo("States.Timeout");
    assertThat(out.get("tries").asText()).isEqualTo("many");
  }

  @Test
  void aMachineWithoutAssignIsNotRewritten() {
    var g =
        AslRunner.load(
            """
            {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "echo", "End": true}}}
            """);
    assertThat(g.node("A").kind()).isEqualTo("task");
    assertThat(g.output()).isNull();
  }
}

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
 * Runs small ASL state machines on the embedded engine and checks their outputs. Expected values
 * come from the ASL specification (https://states-language.net/spec.html, "the spec") and the AWS
 * Step Functions developer guide (https://docs.aws.amazon.com/step-functions/latest/dg/, "the
 * guide"); each case says which page.
 */
class AslStatesTest {
  private static AslRunner runner;

  @BeforeAll
  static void start() {
    runner = new AslRunner();
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  /** A one-state machine around {@code state} (a JSON object without its closing brace). */
  private static String one(String state) {
    return "{\"StartAt\": \"S\", \"States\": {\"S\": " + state + ", \"End\": true}}}";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // the spec, "InputPath, ResultPath and OutputPath": $.numbers in, sum placed at $.sum
        Arguments.of(
            "task InputPath+ResultPath",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"add\", \"InputPath\": \"$.numbers\","
                    + " \"ResultPath\": \"$.sum\""),
            "{\"title\": \"Numbers to add\", \"numbers\": {\"val1\": 3, \"val2\": 4}}",
            "{\"title\": \"Numbers to add\", \"numbers\": {\"val1\": 3, \"val2\": 4}, \"sum\": 7}"),
        // the spec, same example, with OutputPath $.sum
        Arguments.of(
            "task OutputPath",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"add\", \"InputPath\": \"$.numbers\","
                    + " \"ResultPath\": \"$.sum\", \"OutputPath\": \"$.sum\""),
            "{\"title\": \"Numbers to add\", \"numbers\": {\"val1\": 3, \"val2\": 4}}",
            "7"),
        // the spec, "Payload Template": Parameters with .$ keys, an index and a slice
        Arguments.of(
            "task Parameters",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"echo\", \"Parameters\": {\"flagged\": true,"
                    + " \"parts\": {\"first.$\": \"$.vals[0]\", \"last3.$\": \"$.vals[-3:]\"}}"),
            "{\"flagged\": 7, \"vals\": [0, 10, 20, 30, 40, 50]}",
            "{\"flagged\": true, \"parts\": {\"first\": 0, \"last3\": [30, 40, 50]}}"),
        // the guide, "ResultSelector"
        // (input-output-inputpath-params.html#input-output-resultselector)
        Arguments.of(
            "task ResultSelector",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"emr\", \"ResultSelector\": {\"ClusterId.$\":"
                    + " \"$.output.ClusterId\", \"ResourceType.$\": \"$.resourceType\"},"
                    + " \"ResultPath\": \"$.EMROutput\""),
            "{\"x\": 1}",
            "{\"x\": 1, \"EMROutput\": {\"ClusterId\": \"AKIAIOSFODNN7EXAMPLE\","
                + " \"ResourceType\": \"elasticmapreduce\"}}"),
        // the guide, "ResultPath": null discards the result and keeps the input
        Arguments.of(
            "task ResultPath null",
            one("{\"Type\": \"Task\", \"Resource\": \"emr\", \"ResultPath\": null"),
            "{\"comment\": \"keep me\"}",
            "{\"comment\": \"keep me\"}"),
        // ResultPath into a nested path of the raw input while Parameters reshapes the call
        Arguments.of(
            "task Parameters + nested ResultPath",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"add\", \"Parameters\": {\"val1.$\": \"$.a\","
                    + " \"val2.$\": \"$$.Execution.Input.b\"}, \"ResultPath\": \"$.out.sum\""),
            "{\"a\": 1, \"b\": 2, \"out\": {\"keep\": true}}",
            "{\"a\": 1, \"b\": 2, \"out\": {\"keep\": true, \"sum\": 3}}"),
        // the guide, "Invoke Lambda with Step Functions" (connect-lambda.html): lambda:invoke
        // takes Parameters.Payload and answers {Payload, StatusCode}; OutputPath $.Payload
        Arguments.of(
            "task lambda:invoke",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\","
                    + " \"Parameters\": {\"FunctionName\":"
                    + " \"arn:aws:lambda:us-east-1:123456789012:function:add:$LATEST\","
                    + " \"Payload.$\": \"$.numbers\"}, \"OutputPath\": \"$.Payload\""),
            "{\"numbers\": {\"val1\": 3, \"val2\": 4}}",
            "7"),
        Arguments.of(
            "task lambda:invoke with ResultPath",
            one(
                "{\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\","
                    + " \"Parameters\": {\"FunctionName\": \"add\", \"Payload.$\": \"$\"},"
                    + " \"ResultSelector\": {\"sum.$\": \"$.Payload\", \"code.$\": \"$.StatusCode\"},"
                    + " \"ResultPath\": \"$.r\""),
            "{\"val1\": 1, \"val2\": 2}",
            "{\"val1\": 1, \"val2\": 2, \"r\": {\"sum\": 3, \"code\": 200}}"),
        // the spec, "Pass State": Result placed at ResultPath $.coords
        Arguments.of(
            "pass Result+ResultPath",
            one(
                "{\"Type\": \"Pass\", \"Result\": {\"x-datum\": 0.381018, \"y-datum\":"
                    + " 622.2269926397355}, \"ResultPath\": \"$.coords\""),
            "{\"georefOf\": \"Home\"}",
            "{\"georefOf\": \"Home\", \"coords\": {\"x-datum\": 0.381018, \"y-datum\":"
                + " 622.2269926397355}}"),
        // pass with InputPath and OutputPath null (the spec: OutputPath null gives {})
        Arguments.of(
            "pass OutputPath null",
            one("{\"Type\": \"Pass\", \"InputPath\": \"$.a\", \"OutputPath\": null"),
            "{\"a\": 1}",
            "{}"),
        Arguments.of(
            "pass InputPath",
            one("{\"Type\": \"Pass\", \"InputPath\": \"$.a.b[1]\""),
            "{\"a\": {\"b\": [10, {\"c\": 2}]}}",
            "{\"c\": 2}"),
        Arguments.of(
            "pass wildcard path",
            one("{\"Type\": \"Pass\", \"Parameters\": {\"ids.$\": \"$.items[*].id\"}"),
            "{\"items\": [{\"id\": 1}, {\"id\": 2}, {\"x\": 3}]}",
            "{\"ids\": [1, 2]}"),
        // wait 0 s passes its (InputPath'd) input on
        Arguments.of(
            "wait Seconds",
            one("{\"Type\": \"Wait\", \"Seconds\": 0, \"InputPath\": \"$.a\""),
            "{\"a\": [1]}",
            "[1]"),
        // the spec, "Wait State": a Timestamp in the past ends the wait at once
        Arguments.of(
            "wait Timestamp",
            one("{\"Type\": \"Wait\", \"Timestamp\": \"2016-03-14T01:59:00Z\""),
            "{\"a\": 1}",
            "{\"a\": 1}"),
        Arguments.of(
            "wait TimestampPath",
            one("{\"Type\": \"Wait\", \"TimestampPath\": \"$.until\", \"OutputPath\": \"$.a\""),
            "{\"a\": 1, \"until\": \"2016-03-14T01:59:00+01:00\"}",
            "1"),
        Arguments.of(
            "wait SecondsPath",
            one("{\"Type\": \"Wait\", \"SecondsPath\": \"$.s\", \"InputPath\": \"$.in\""),
            "{\"in\": {\"s\": 1, \"k\": true}}",
            "{\"s\": 1, \"k\": true}"),
        // the guide, Map "ItemSelector" (input-output-itemselector.html): $$.Map.Item.Value
        Arguments.of(
            "map ItemSelector",
            one(
                "{\"Type\": \"Map\", \"ItemsPath\": \"$.shipped\", \"MaxConcurrency\": 1,"
                    + " \"ItemSelector\": {\"parcel.$\": \"$$.Map.Item.Value\", \"courier.$\":"
                    + " \"$.delivery-partner\", \"i.$\": \"$$.Map.Item.Index\"}, \"ItemProcessor\":"
                    + " {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}"),
            "{\"delivery-partner\": \"UQS\", \"shipped\": [{\"prod\": \"R31\", \"dest-code\": 9511,"
                + " \"quantity\": 1344}, {\"prod\": \"S39\", \"dest-code\": 9511, \"quantity\":"
                + " 40}]}",
            "[{\"parcel\": {\"prod\": \"R31\", \"dest-code\": 9511, \"quantity\": 1344},"
                + " \"courier\": \"UQS\", \"i\": 0}, {\"parcel\": {\"prod\": \"S39\","
                + " \"dest-code\": 9511, \"quantity\": 40}, \"courier\": \"UQS\", \"i\": 1}]"),
        // legacy Iterator with a task per item and ResultPath into the input
        Arguments.of(
            "map Iterator + ResultPath",
            one(
                "{\"Type\": \"Map\", \"ItemsPath\": \"$.pairs\", \"ResultPath\": \"$.sums\","
                    + " \"Iterator\": {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\","
                    + " \"Resource\": \"add\", \"End\": true}}}"),
            "{\"pairs\": [{\"val1\": 1, \"val2\": 2}, {\"val1\": 3, \"val2\": 4}]}",
            "{\"pairs\": [{\"val1\": 1, \"val2\": 2}, {\"val1\": 3, \"val2\": 4}], \"sums\":"
                + " [3, 7]}"),
        // the spec, "Parallel State": the output is the array of the branches' outputs, in order
        Arguments.of(
            "parallel",
            one(
                "{\"Type\": \"Parallel\", \"ResultPath\": \"$.both\", \"Branches\": ["
                    + "{\"StartAt\": \"L\", \"States\": {\"L\": {\"Type\": \"Task\", \"Resource\":"
                    + " \"add\", \"End\": true}}},"
                    + "{\"StartAt\": \"R\", \"States\": {\"R\": {\"Type\": \"Pass\", \"Parameters\":"
                    + " {\"in.$\": \"$$.Execution.Input.val1\"}, \"Next\": \"R2\"}, \"R2\": {\"Type\":"
                    + " \"Succeed\"}}}]"),
            "{\"val1\": 1, \"val2\": 2}",
            "{\"val1\": 1, \"val2\": 2, \"both\": [3, {\"in\": 1}]}"),
        // a loop: Choice goes back to an earlier state until the count reaches 3
        Arguments.of(
            "loop",
            "{\"StartAt\": \"Init\", \"States\": {"
                + "\"Init\": {\"Type\": \"Pass\", \"Result\": 0, \"ResultPath\": \"$.count\","
                + " \"Next\": \"Inc\"},"
                + "\"Inc\": {\"Type\": \"Task\", \"Resource\": \"add\", \"Parameters\":"
                + " {\"val1.$\": \"$.count\", \"val2.$\": \"$$.Execution.Input.step\"},"
                + " \"ResultPath\": \"$.count\", \"Next\": \"More?\"},"
                + "\"More?\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.count\","
                + " \"NumericLessThan\": 3, \"Next\": \"Inc\"}], \"Default\": \"Done\"},"
                + "\"Done\": {\"Type\": \"Succeed\"}}}",
            "{\"step\": 1}",
            "{\"step\": 1, \"count\": 3}"),
        // a loop inside a Map's item processor
        Arguments.of(
            "loop in a map",
            one(
                "{\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": \"Dbl\", \"States\": {"
                    + "\"Dbl\": {\"Type\": \"Pass\", \"Parameters\": {\"n.$\":"
                    + " \"States.MathAdd($.n, $.n)\"}, \"Next\": \"Big?\"},"
                    + "\"Big?\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.n\","
                    + " \"NumericLessThan\": 10, \"Next\": \"Dbl\"}], \"Default\": \"Ok\"},"
                    + "\"Ok\": {\"Type\": \"Pass\", \"OutputPath\": \"$.n\", \"End\": true}}}"),
            "[{\"n\": 1}, {\"n\": 3}, {\"n\": 20}]",
            "[16, 12, 40]"),
        // Succeed with OutputPath
        Arguments.of(
            "succeed",
            "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\", \"OutputPath\":"
                + " \"$.x\"}}}",
            "{\"x\": \"done\"}",
            "\"done\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void runsAndGivesTheDocumentedOutput(String name, String asl, String input, String expected)
      throws Exception {
    InstanceStatus s = runner.run(asl, input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output()).isEqualTo(json(expected));
  }
}

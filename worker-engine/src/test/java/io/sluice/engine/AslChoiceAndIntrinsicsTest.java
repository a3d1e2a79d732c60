package io.sluice.engine;

import static io.sluice.engine.AslRunner.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Choice rules (every operator) and intrinsic functions, run on the embedded engine. Expected
 * values: the ASL specification (https://states-language.net/spec.html, "Choice State") and the AWS
 * developer guide's intrinsic functions page
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html, "the guide").
 */
class AslChoiceAndIntrinsicsTest {
  private static AslRunner runner;

  @BeforeAll
  static void start() {
    runner = new AslRunner();
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  /** A Choice on {@code rule} going to Yes (output "yes") or by Default to No ("no"). */
  private static String choice(String rule) {
    return "{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": [ "
        + rule
        + " ], \"Default\": \"No\"},"
        + " \"Yes\": {\"Type\": \"Pass\", \"Result\": \"yes\", \"End\": true},"
        + " \"No\": {\"Type\": \"Pass\", \"Result\": \"no\", \"End\": true}}}";
  }

  private static Arguments rule(String rule, String input, boolean matches) {
    String withNext = rule.substring(0, rule.lastIndexOf('}')) + ", \"Next\": \"Yes\"}";
    return Arguments.of(withNext, input, matches);
  }

  static Stream<Arguments> rules() {
    String in =
        "{\"s\": \"abc\", \"n\": 22, \"b\": true, \"t\": \"2016-08-18T17:33:00Z\", \"z\": null,"
            + " \"s2\": \"abd\", \"n2\": 22, \"t2\": \"2016-08-18T18:33:00+01:00\", \"f\":"
            + " \"log-2024.txt\"}";
    return Stream.of(
        rule("{\"Variable\": \"$.s\", \"StringEquals\": \"abc\"}", in, true),
        rule("{\"Variable\": \"$.n\", \"StringEquals\": \"22\"}", in, false), // type mismatch
        rule("{\"Variable\": \"$.s\", \"StringLessThan\": \"abd\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"StringGreaterThan\": \"abd\"}", in, false),
        rule("{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"abc\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"abc\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"StringEqualsPath\": \"$.s2\"}", in, false),
        rule("{\"Variable\": \"$.s\", \"StringLessThanPath\": \"$.s2\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"StringGreaterThanPath\": \"$.s2\"}", in, false),
        rule("{\"Variable\": \"$.s\", \"StringLessThanEqualsPath\": \"$.s2\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"StringGreaterThanEqualsPath\": \"$.s2\"}", in, false),
        // the spec's StringMatches example: "log-*.txt" matches "log-2024.txt"
        rule("{\"Variable\": \"$.f\", \"StringMatches\": \"log-*.txt\"}", in, true),
        rule("{\"Variable\": \"$.f\", \"StringMatches\": \"log-\\\\*.txt\"}", in, false),
        rule("{\"Variable\": \"$.n\", \"NumericEquals\": 22}", in, true),
        rule("{\"Variable\": \"$.n\", \"NumericLessThan\": 22}", in, false),
        rule("{\"Variable\": \"$.n\", \"NumericGreaterThan\": 21.5}", in, true),
        rule("{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 22}", in, true),
        rule("{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 23}", in, false),
        rule("{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.n2\"}", in, true),
        rule("{\"Variable\": \"$.n\", \"NumericLessThanPath\": \"$.n2\"}", in, false),
        rule("{\"Variable\": \"$.n\", \"NumericGreaterThanPath\": \"$.n2\"}", in, false),
        rule("{\"Variable\": \"$.n\", \"NumericLessThanEqualsPath\": \"$.n2\"}", in, true),
        rule("{\"Variable\": \"$.n\", \"NumericGreaterThanEqualsPath\": \"$.n2\"}", in, true),
        rule("{\"Variable\": \"$.s\", \"NumericEquals\": 22}", in, false), // type mismatch
        rule("{\"Variable\": \"$.b\", \"BooleanEquals\": true}", in, true),
        rule("{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$.b\"}", in, true),
        // t2 is 17:33Z written with a +01:00 offset: the same instant
        rule("{\"Variable\": \"$.t\", \"TimestampEquals\": \"2016-08-18T17:33:00Z\"}", in, true),
        rule("{\"Variable\": \"$.t\", \"TimestampEqualsPath\": \"$.t2\"}", in, true),
        rule("{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2016-08-18T17:34:00Z\"}", in, true),
        rule(
            "{\"Variable\": \"$.t\", \"TimestampGreaterThan\": \"2016-08-18T17:34:00Z\"}",
            in,
            false),
        rule(
            "{\"Variable\": \"$.t\", \"TimestampLessThanEquals\": \"2016-08-18T17:33:00Z\"}",
            in,
            true),
        rule(
            "{\"Variable\": \"$.t\", \"TimestampGreaterThanEquals\": \"2017-01-01T00:00:00Z\"}",
            in,
            false),
        rule("{\"Variable\": \"$.t\", \"TimestampLessThanPath\": \"$.t2\"}", in, false),
        rule("{\"Variable\": \"$.t\", \"TimestampGreaterThanPath\": \"$.t2\"}", in, false),
        rule("{\"Variable\": \"$.t\", \"TimestampLessThanEqualsPath\": \"$.t2\"}", in, true),
        rule("{\"Variable\": \"$.t\", \"TimestampGreaterThanEqualsPath\": \"$.t2\"}", in, true),
        rule("{\"Variable\": \"$.z\", \"IsNull\": true}", in, true),
        rule("{\"Variable\": \"$.s\", \"IsNull\": true}", in, false),
        rule("{\"Variable\": \"$.missing\", \"IsPresent\": false}", in, true),
        rule("{\"Variable\": \"$.z\", \"IsPresent\": true}", in, true),
        rule("{\"Variable\": \"$.n\", \"IsNumeric\": true}", in, true),
        rule("{\"Variable\": \"$.s\", \"IsString\": true}", in, true),
        rule("{\"Variable\": \"$.b\", \"IsBoolean\": false}", in, false),
        rule("{\"Variable\": \"$.t\", \"IsTimestamp\": true}", in, true),
        rule("{\"Variable\": \"$.s\", \"IsTimestamp\": true}", in, false),
        // the spec's Choice example: Not and And
        rule(
            "{\"Not\": {\"Variable\": \"$.type\", \"StringEquals\": \"Private\"}}",
            "{\"type\": \"Private\", \"value\": 22}",
            false),
        rule(
            "{\"And\": [{\"Variable\": \"$.value\", \"NumericGreaterThanEquals\": 20},"
                + " {\"Variable\": \"$.value\", \"NumericLessThan\": 30}]}",
            "{\"type\": \"Private\", \"value\": 22}",
            true),
        rule(
            "{\"Or\": [{\"Variable\": \"$.value\", \"NumericLessThan\": 20},"
                + " {\"Variable\": \"$.value\", \"NumericGreaterThan\": 30}]}",
            "{\"type\": \"Private\", \"value\": 22}",
            false));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("rules")
  void choiceRules(String rule, String input, boolean matches) throws Exception {
    InstanceStatus s = runner.run(choice(rule), input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().asText()).isEqualTo(matches ? "yes" : "no");
  }

  @Test
  void noChoiceMatchedFailsWithTheAslName() throws Exception {
    String asl =
        "{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\":"
            + " \"$.n\", \"NumericEquals\": 1, \"Next\": \"Y\"}]}, \"Y\": {\"Type\": \"Succeed\"}}}";
    InstanceStatus s = runner.run(asl, "{\"n\": 2}");
    assertThat(s.state()).isEqualTo(InstanceState.FAILED);
    assertThat(s.error().type()).isEqualTo("NoChoiceMatched");
  }

  static Stream<Arguments> intrinsics() {
    String nine = "[1, 2, 3, 4, 5, 6, 7, 8, 9]";
    return Stream.of(
        // each expected value is the guide's example output for the same call
        Arguments.of(
            "States.Format('Hello, my name is {}.', $.name)",
            "{\"name\": \"Arnav\"}",
            "\"Hello, my name is Arnav.\""),
        Arguments.of(
            "States.StringToJson($.someString)",
            "{\"someString\": \"{\\\"number\\\": 20}\"}",
            "{\"number\": 20}"),
        Arguments.of(
            "States.JsonToString($.someJson)",
            "{\"someJson\": {\"name\": \"Foo\", \"year\": 2020}}",
            "\"{\\\"name\\\":\\\"Foo\\\",\\\"year\\\":2020}\""),
        Arguments.of(
            "States.Array('Foo', 2020, $.someJson, null)",
            "{\"someJson\": {\"random\": \"abcdefg\"}}",
            "[\"Foo\", 2020, {\"random\": \"abcdefg\"}, null]"),
        Arguments.of(
            "States.ArrayPartition($.inputArray, 4)",
            "{\"inputArray\": " + nine + "}",
            "[[1, 2, 3, 4], [5, 6, 7, 8], [9]]"),
        Arguments.of(
            "States.ArrayContains($.inputArray, $.lookingFor)",
            "{\"inputArray\": " + nine + ", \"lookingFor\": 5}",
            "true"),
        Arguments.of("States.ArrayRange(1, 9, 2)", "{}", "[1, 3, 5, 7, 9]"),
        Arguments.of(
            "States.ArrayGetItem($.inputArray, $.index)",
            "{\"inputArray\": " + nine + ", \"index\": 5}",
            "6"),
        Arguments.of("States.ArrayLength($.inputArray)", "{\"inputArray\": " + nine + "}", "9"),
        Arguments.of(
            "States.ArrayUnique($.inputArray)",
            "{\"inputArray\": [1, 2, 3, 3, 3, 3, 3, 3, 4]}",
            "[1, 2, 3, 4]"),
        Arguments.of(
            "States.Base64Encode($.input)",
            "{\"input\": \"Data to encode\"}",
            "\"RGF0YSB0byBlbmNvZGU=\""),
        Arguments.of(
            "States.Base64Decode($.base64)",
            "{\"base64\": \"RGF0YSB0byBlbmNvZGU=\"}",
            "\"Data to encode\""),
        Arguments.of(
            "States.Hash($.Data, $.Algorithm)",
            "{\"Data\": \"input data\", \"Algorithm\": \"SHA-1\"}",
            "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""),
        Arguments.of(
            "States.JsonMerge($.json1, $.json2, false)",
            "{\"json1\": {\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}, \"json2\": {\"a\": {\"a3\": 1,"
                + " \"a4\": 2}, \"c\": 3}}",
            "{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}"),
        Arguments.of("States.MathAdd($.value1, $.step)", "{\"value1\": 111, \"step\": -1}", "110"),
        Arguments.of(
            "States.StringSplit($.inputString, $.splitter)",
            "{\"inputString\": \"1,2,3,4,5\", \"splitter\": \",\"}",
            "[\"1\", \"2\", \"3\", \"4\", \"5\"]"),
        Arguments.of(
            "States.StringSplit($.inputString, $.splitter)",
            "{\"inputString\": \"This.is+a,test=string\", \"splitter\": \".+,=\"}",
            "[\"This\", \"is\", \"a\", \"test\", \"string\"]"),
        // nested calls and escapes (the spec, "Intrinsic Functions": \' and \{ in literals)
        Arguments.of(
            "States.Format('{} \\\\{x\\\\} {}', States.ArrayLength($.a), 'it\\\\'s')",
            "{\"a\": [1, 2]}",
            "\"2 {x} it's\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intrinsics")
  void intrinsicFunctions(String call, String input, String expected) throws Exception {
    InstanceStatus s = runner.run(pass(call), input);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(s.output().get("r")).isEqualTo(json(expected));
  }

  private static String pass(String call) {
    return "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"r.$\": \""
        + call.replace("\"", "\\\"")
        + "\"}, \"End\": true}}}";
  }

  @Test
  void randomAndUuidHaveTheirShape() throws Exception {
    InstanceStatus s =
        runner.run(
            "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {"
                + "\"r.$\": \"States.MathRandom($.start, $.end)\", \"u.$\": \"States.UUID()\"},"
                + " \"End\": true}}}",
            "{\"start\": 1, \"end\": 999}");
    JsonNode out = s.output();
    assertThat(out.get("r").asInt()).isBetween(1, 998);
    assertThat(out.get("u").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }
}

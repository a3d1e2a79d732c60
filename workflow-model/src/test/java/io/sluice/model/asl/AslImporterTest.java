package io.sluice.model.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.DefinitionException;
import io.sluice.model.MapNode;
import io.sluice.model.Problem;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Detection, the graph an ASL document becomes, and every unsupported feature at its line. */
class AslImporterTest {

  private static WorkflowGraph load(String file, String text) {
    return new WorkflowLoader().load(file, text);
  }

  @Test
  void detectedFromContentInJsonAndYaml() {
    WorkflowGraph json =
        load(
            "hello.json",
            "{\"StartAt\": \"Hi\", \"States\": {\"Hi\": {\"Type\": \"Task\", \"Resource\":"
                + " \"greet\", \"End\": true}}}");
    WorkflowGraph yaml =
        load(
            "hello.yaml",
            "StartAt: Hi\nStates:\n  Hi:\n    Type: Task\n    Resource: greet\n    End: true\n");
    assertThat(json.nodes().get("Hi")).isInstanceOf(TaskNode.class);
    assertThat(((TaskNode) json.nodes().get("Hi")).function()).isEqualTo("greet");
    assertThat(yaml.nodes()).isEqualTo(json.nodes());
    assertThat(json.name()).isEqualTo("hello");
    assertThat(new WorkflowValidator().validate(json, "greet"::equals)).isEmpty();
  }

  @Test
  void aLambdaArnBindsTheAwsLambdaRuntimeUnderTheFunctionsName() {
    WorkflowGraph g =
        load(
            "l.json",
            "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\":"
                + " \"arn:aws:lambda:us-east-1:123456789012:function:HelloWorld:prod\", \"End\":"
                + " true}}}");
    assertThat(((TaskNode) g.nodes().get("T")).function()).isEqualTo("HelloWorld");
    assertThat(g.functions().get("HelloWorld").runtime()).isEqualTo("aws-lambda");
    assertThat(g.functions().get("HelloWorld").settings().get("function").asText())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:HelloWorld:prod");
  }

  @Test
  void statesBecomeNodesAndNestedMachinesInnerWorkflows() {
    WorkflowGraph g =
        load(
            "m.json",
            """
            {"StartAt": "C", "States": {
              "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1,
                    "Next": "P"}], "Default": "M"},
              "P": {"Type": "Parallel", "Branches": [
                     {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}], "End": true},
              "M": {"Type": "Map", "ItemProcessor": {"StartAt": "B", "States": {
                     "B": {"Type": "Succeed"}}}, "End": true}}}""");
    assertThat(g.nodes().get("C")).isInstanceOf(SwitchNode.class);
    assertThat(g.nodes().get("P")).isInstanceOf(SubWorkflowNode.class);
    assertThat(g.nodes().get("M")).isInstanceOf(MapNode.class);
    assertThat(new WorkflowValidator().validate(g, n -> false)).isEmpty();
  }

  static Stream<Arguments> unsupported() {
    return Stream.of(
        Arguments.of("\"HeartbeatSeconds\": 10,", "T", "HeartbeatSeconds not supported"),
        Arguments.of("\"TimeoutSecondsPath\": \"$.t\",", "T", "TimeoutSecondsPath not supported"),
        Arguments.of("\"Assign\": {\"$x\": 1},", "T", "bad variable name '$x'"),
        Arguments.of("\"Assign\": {\"states\": 1},", "T", "bad variable name 'states'"),
        Arguments.of(
            "\"Parameters\": {\"x.$\": \"$v\"},",
            "T",
            "variable $v is never assigned (no Assign in this state machine)"),
        Arguments.of("\"Arguments\": {\"x\": 1},", "T", "Arguments not supported"),
        Arguments.of(
            "\"QueryLanguage\": \"JSONata\", \"InputPath\": \"$.a\",",
            "T",
            "InputPath is a JSONPath field, not allowed with QueryLanguage JSONata"),
        Arguments.of("\"Credentials\": {},", "T", "Credentials not supported"),
        Arguments.of("\"Bogus\": 1,", "T", "unknown field 'Bogus' in a Task state"),
        Arguments.of(
            "\"Parameters\": {\"x.$\": \"$..deep\"},", "T", "deep scan '..' not supported"),
        Arguments.of("\"Parameters\": {\"x.$\": \"$.a[?(@.b)]\"},", "T", "filter expressions"),
        Arguments.of(
            "\"Parameters\": {\"x.$\": \"States.Nope($.a)\"},",
            "T",
            "intrinsic function 'States.Nope' not supported"),
        Arguments.of(
            "\"Parameters\": {\"x.$\": \"$$.Task.Token\"},",
            "T",
            "context path '$$.Task.Token' not supported"),
        Arguments.of(
            "\"Retry\": [{\"ErrorEquals\": [\"A\"], \"MaxAttempts\": 1},"
                + " {\"ErrorEquals\": [\"B\"], \"MaxAttempts\": 5}],",
            "T",
            "several retriers with different settings not supported"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("unsupported")
  void unsupportedFeaturesAreProblemsAtTheirLine(String field, String state, String message) {
    String text =
        "{\n\"StartAt\": \"T\",\n\"States\": {\n\"T\": {\n\"Type\": \"Task\",\n\"Resource\":"
            + " \"f\",\n"
            + field
            + "\n\"End\": true\n}\n}\n}\n";
    assertThatThrownBy(() -> load("bad.asl.json", text))
        .isInstanceOf(DefinitionException.class)
        .satisfies(
            e -> {
              List<Problem> ps = ((DefinitionException) e).problems();
              assertThat(ps).hasSize(1);
              assertThat(ps.get(0).toString())
                  .startsWith("bad.asl.json:")
                  .contains(": state " + state + ": ")
                  .contains(message);
              assertThat(ps.get(0).location().line()).isBetween(4, 7);
            });
  }

  @Test
  void aMachineWithALoopBecomesOneLoopNodeStepping() {
    String text =
        """
        {"StartAt": "Poll",
         "States": {
          "Poll": {"Type": "Task", "Resource": "check", "Next": "Done?"},
          "Done?": {"Type": "Choice",
                    "Choices": [{"Variable": "$.done", "BooleanEquals": false, "Next": "Poll"}],
                    "Default": "End"},
          "End": {"Type": "Succeed"}}}""";
    WorkflowGraph g = load("loop.json", text);
    assertThat(g.nodes()).containsOnlyKeys("~loop");
    WorkflowGraph body = g.nodes().get("~loop").innerGraph().orElseThrow();
    assertThat(body.nodes())
        .containsKeys("~dispatch", "Poll", "Done?", "End", "~goto~Poll", "~end");
    assertThat(new WorkflowValidator().validate(g, "check"::equals)).isEmpty();
  }

  @Test
  void problemsInsideBranchesNameTheOuterState() {
    String text =
        """
        {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "W", "States": {
            "W": {"Type": "Fail", "ErrorPath": "$.error"}}}]}}}""";
    assertThatThrownBy(() -> load("nested.json", text))
        .hasMessageContaining("nested.json:3: state P/~branch0/W: ErrorPath not supported");
  }
}

package io.sluice.model.format;

import static io.sluice.testing.Definitions.parse;
import static io.sluice.testing.Definitions.readProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.dsl.Steps;
import io.sluice.dsl.Workflow;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.testing.Definitions;
import org.junit.jupiter.api.Test;

/** An event node's {@code correlate} key: read, written back, checked, and built with the DSL. */
class CorrelateFormatTest {
  private static final String HEAD = "sluice: \"1.0\"\nname: c\nnodes:\n";

  private static EventWaitNode node(WorkflowGraph g) {
    return (EventWaitNode) g.node("e");
  }

  @Test
  void readsBothFormsAndWritesThemBack() {
    WorkflowGraph bySubject =
        parse(HEAD + "  - {id: e, type: event, eventType: paid, correlate: {subject: .order}}\n");
    assertThat(node(bySubject).correlate())
        .isEqualTo(EventWaitNode.Correlate.subject(Expr.of(".order")));
    assertThat(node(bySubject).correlate().attribute()).isEqualTo("subject");

    WorkflowGraph byExtension =
        parse(
            HEAD
                + "  - id: e\n    type: event\n    eventType: paid\n"
                + "    correlate: {extension: orderid, equals: .id | tostring}\n"
                + "    correlation: .data.ok\n");
    EventWaitNode e = node(byExtension);
    assertThat(e.correlate().attribute()).isEqualTo("orderid");
    assertThat(e.correlate().value().source()).isEqualTo(".id | tostring");
    assertThat(e.correlation().source()).isEqualTo(".data.ok");

    for (WorkflowGraph g : new WorkflowGraph[] {bySubject, byExtension}) {
      assertThat(parse(NativeWriter.toYaml(g))).isEqualTo(g);
      assertThat(new WorkflowLoader().load("w.json", NativeWriter.toJson(g))).isEqualTo(g);
    }
  }

  @Test
  void badKeysAreReportedWithTheirLines() {
    assertThat(
            readProblems(
                    HEAD
                        + "  - {id: a, type: event, eventType: t, correlate: .x}\n"
                        + "  - {id: b, type: event, eventType: t, correlate: {subject: .x, extension: k, equals: .y}}\n"
                        + "  - {id: c, type: event, eventType: t, correlate: {extension: Order-Id, equals: .y}}\n"
                        + "  - {id: d, type: event, eventType: t, correlate: {extension: subject, equals: .y}}\n"
                        + "  - {id: f, type: event, eventType: t, correlate: {extension: k}}\n"
                        + "  - {id: g, type: event, eventType: t, correlate: {subjekt: .x}}\n")
                .stream()
                .map(Problem::toString))
        .containsExactly(
            "test.yaml:4: a: 'correlate' must be {subject: jq} or {extension: name, equals: jq}",
            "test.yaml:5: b: 'correlate' takes exactly one of {subject: jq} or {extension: name,"
                + " equals: jq}",
            "test.yaml:6: c: correlate extension 'Order-Id' is not a CloudEvents extension name"
                + " (1-20 lower-case letters or digits, not a core attribute such as subject or"
                + " type)",
            "test.yaml:7: d: correlate extension 'subject' is not a CloudEvents extension name"
                + " (1-20 lower-case letters or digits, not a core attribute such as subject or"
                + " type)",
            "test.yaml:8: f: missing required key 'equals'",
            "test.yaml:9: g: unknown key 'subjekt' in correlate; allowed: equals, extension,"
                + " subject",
            "test.yaml:9: g: 'correlate' takes exactly one of {subject: jq} or {extension: name,"
                + " equals: jq}");
  }

  @Test
  void theValidatorChecksTheKeysJq() {
    WorkflowGraph g =
        parse(HEAD + "  - {id: e, type: event, eventType: t, correlate: {subject: '.x |'}}\n");
    assertThat(Definitions.validate(g))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("bad jq expression in correlate:"));
  }

  @Test
  void theDslBuildsTheSameNode() {
    WorkflowGraph g =
        Workflow.named("c")
            .steps(Steps.onEvent("e", "paid").correlateByExtension("orderid", ".id"))
            .build();
    assertThat(node(g).correlate())
        .isEqualTo(EventWaitNode.Correlate.extension("orderid", Expr.of(".id")));
    assertThatThrownBy(() -> EventWaitNode.Correlate.extension("a.b", Expr.of(".")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

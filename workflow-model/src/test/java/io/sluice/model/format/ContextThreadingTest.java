package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.expr.JqEvaluator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape of a threaded graph and what its mappings do to what arrives at a node. */
class ContextThreadingTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  private static JsonNode eval(Expr e, String in, Map<String, JsonNode> vars) throws Exception {
    return JqEvaluator.shared().first(e, json(in), vars);
  }

  private static WorkflowGraph threaded() {
    RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ZERO, 0, List.of());
    Map<String, Node> nodes = new LinkedHashMap<>();
    PassNode a = new PassNode("a", NodeOptions.DEFAULT.withOutput(Expr.of("{x: .n}")));
    TaskNode t =
        new TaskNode(
            "t",
            "f",
            NodeOptions.DEFAULT
                .withInput(Expr.of("{arg: (.x + $__ctx.k)}"))
                .withOutput(Expr.of("{got: ., sent: $input}"))
                .withRetry(retry)
                .withTimeout(Duration.ofSeconds(5))
                .withCatchers(List.of(new Catcher(List.of(), "h", null))));
    PassNode h = new PassNode("h", NodeOptions.DEFAULT);
    PassNode j = new PassNode("j", NodeOptions.DEFAULT);
    nodes.put("a", a);
    nodes.put("t", t);
    nodes.put("h", h);
    nodes.put("j", j);
    WorkflowGraph g =
        new WorkflowGraph(
            "w",
            "1",
            nodes,
            List.of(
                Edge.next("a", "t"),
                new Edge("t", "h", Edge.Kind.CATCH),
                Edge.next("t", "j"),
                Edge.next("a", "j")),
            List.of(),
            Map.of(),
            null,
            null);
    ContextThreading.Spec spec =
        new ContextThreading.Spec("{k: 1}").export(a, "$__ctx + {a: .x}").export(t, "{t: .got}");
    return ContextThreading.apply(g, spec);
  }

  @Test
  void aTaskBecomesAOneNodeSubWorkflowWhoseInnerTaskGetsOnlyTheFunctionInput() throws Exception {
    WorkflowGraph g = threaded();
    SubWorkflowNode w = (SubWorkflowNode) g.node("t");
    TaskNode inner = (TaskNode) w.workflow().node("t");
    assertThat(inner.function()).isEqualTo("f");
    assertThat(inner.options().input().source()).isEqualTo(".__i");
    assertThat(inner.options().output()).isNull();
    assertThat(inner.options().retry().maxAttempts()).isEqualTo(3);
    assertThat(inner.options().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(inner.options().catchers()).isEmpty();
    assertThat(w.options().catchers()).hasSize(1);
    assertThat(w.options().retry().maxAttempts()).isEqualTo(1);

    Map<String, JsonNode> wf = Map.of("workflow", json("{}"));
    JsonNode in = eval(w.options().input(), "{\"__ctx\": {\"k\": 2}, \"__v\": {\"x\": 5}}", wf);
    assertThat(in)
        .isEqualTo(json("{\"__ctx\": {\"k\": 2}, \"__v\": {\"x\": 5}, \"__i\": {\"arg\": 7}}"));
    JsonNode out = eval(w.options().output(), "\"r\"", Map.of("workflow", json("{}"), "input", in));
    assertThat(out)
        .isEqualTo(
            json("{\"__ctx\": {\"t\": \"r\"}, \"__v\": {\"got\": \"r\", \"sent\": {\"arg\": 7}}}"));
  }

  @Test
  void anEntryWrapsTheRawInputWithTheInitialContextAndThePassExportsAfterItsMapping()
      throws Exception {
    WorkflowGraph g = threaded();
    Node a = g.node("a");
    Map<String, JsonNode> wf = Map.of("workflow", json("{\"n\": 3}"));
    JsonNode in = eval(a.options().input(), "{\"n\": 3}", wf);
    assertThat(in).isEqualTo(json("{\"__ctx\": {\"k\": 1}, \"__v\": {\"n\": 3}}"));
    JsonNode out =
        eval(a.options().output(), in.toString(), Map.of("workflow", json("{}"), "input", in));
    assertThat(out).isEqualTo(json("{\"__ctx\": {\"k\": 1, \"a\": 3}, \"__v\": {\"x\": 3}}"));
  }

  @Test
  void aJoinTakesTheLastEnvelopesContextAndACatchHandlerTheFailedNodesData() throws Exception {
    WorkflowGraph g = threaded();
    Map<String, JsonNode> wf = Map.of("workflow", json("{}"));
    JsonNode joined =
        eval(
            g.node("j").options().input(),
            "{\"a\": {\"__ctx\": {\"c\": 1}, \"__v\": 1}, \"t\": {\"__ctx\": {\"c\": 2}, \"__v\": 2}}",
            wf);
    assertThat(joined).isEqualTo(json("{\"__ctx\": {\"c\": 2}, \"__v\": {\"a\": 1, \"t\": 2}}"));
    JsonNode caught =
        eval(
            g.node("h").options().input(),
            "{\"error\": \"E\", \"cause\": \"c\", \"node\": \"t\", \"input\":"
                + " {\"__ctx\": {\"k\": 9}, \"__v\": {\"x\": 1}, \"__i\": {\"arg\": 10}}}",
            wf);
    assertThat(caught)
        .isEqualTo(
            json(
                "{\"__ctx\": {\"k\": 9}, \"__v\": {\"error\": \"E\", \"cause\": \"c\", \"node\":"
                    + " \"t\", \"input\": {\"x\": 1}}}"));
  }

  @Test
  void theWorkflowOutputIsUnwrapped() throws Exception {
    WorkflowGraph g = threaded();
    JsonNode out =
        eval(g.output(), "{\"__ctx\": {\"k\": 1}, \"__v\": [1]}", Map.of("workflow", json("{}")));
    assertThat(out).isEqualTo(json("[1]"));
  }
}

package io.sluice.engine.sw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.DefinitionException;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.sw.SwErrors;
import io.sluice.model.sw.SwImporter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One CTK scenario's steps, run against the embedded engine. */
final class Run {
  private static final Pattern PROPS = Pattern.compile("'([^']*)'");
  private static final Pattern HAS_VALUE =
      Pattern.compile("the workflow output should have a '([^']+)' property with value:");
  private static final Pattern HAS_ITEMS =
      Pattern.compile(
          "the workflow output should have a '([^']+)' property containing (\\d+) items");
  private static final Pattern ORDER =
      Pattern.compile("(\\S+) should run (first|last|after|before)(?: (\\S+))?");

  /** Numbers compare by value: 1 from YAML equals 1 from jq (an int, a long or 1.0). */
  static final Comparator<JsonNode> SAME =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private final WorkflowEngine engine;
  private final Map<String, List<String>> started;
  private String definition;
  private JsonNode input = NullNode.getInstance();
  private InstanceStatus status;

  private final java.util.function.UnaryOperator<String> rewrite;

  Run(
      WorkflowEngine engine,
      Map<String, List<String>> started,
      java.util.function.UnaryOperator<String> rewrite) {
    this.engine = engine;
    this.started = started;
    this.rewrite = rewrite;
    this.input = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  void scenario(Gherkin.Scenario s) throws Exception {
    for (Gherkin.Step step : s.steps()) {
      step(step);
    }
  }

  private static JsonNode yaml(String text) {
    return SourceDocument.parse("expected.yaml", text).root();
  }

  private void step(Gherkin.Step st) throws Exception {
    String t = st.text();
    if (t.equals("a workflow with definition:")) {
      definition = rewrite.apply(st.docString());
    } else if (t.equals("given the workflow input is:") || t.equals("the workflow input is:")) {
      input = yaml(st.docString());
    } else if (t.equals("the workflow is executed")) {
      execute();
    } else if (t.equals("the workflow should complete")
        || t.equals("the workflow should complete with output:")) {
      expectState(InstanceState.COMPLETED);
      if (st.docString() != null) {
        JsonNode want = yaml(st.docString());
        check(
            want.equals(SAME, status.output()), "output " + status.output() + ", expected " + want);
      }
    } else if (t.equals("the workflow should fault")
        || t.equals("the workflow should fault with error:")) {
      expectState(InstanceState.FAILED);
      if (st.docString() != null) {
        JsonNode got = SwErrors.decode(status.error().type(), status.error().message());
        JsonNode want = yaml(st.docString());
        want.properties()
            .forEach(
                e ->
                    check(
                        got.has(e.getKey()) && e.getValue().equals(SAME, got.get(e.getKey())),
                        "error " + got + " lacks " + e.getKey() + " = " + e.getValue()));
      }
    } else if (t.equals("the workflow should cancel")) {
      expectState(InstanceState.CANCELLED);
    } else if (t.startsWith("the workflow output should have properties")) {
      expectState(InstanceState.COMPLETED);
      Matcher m = PROPS.matcher(t);
      while (m.find()) {
        check(
            !path(status.output(), m.group(1)).isMissingNode(),
            "output " + status.output() + " has no property " + m.group(1));
      }
    } else if (HAS_VALUE.matcher(t).matches()) {
      Matcher m = HAS_VALUE.matcher(t);
      m.matches();
      JsonNode got = path(status.output(), m.group(1));
      JsonNode want = yaml(st.docString());
      check(want.equals(SAME, got), m.group(1) + " is " + got + ", expected " + want);
    } else if (HAS_ITEMS.matcher(t).matches()) {
      Matcher m = HAS_ITEMS.matcher(t);
      m.matches();
      JsonNode got = path(status.output(), m.group(1));
      check(
          got.isArray() && got.size() == Integer.parseInt(m.group(2)),
          m.group(1) + " is " + got + ", expected " + m.group(2) + " items");
    } else if (ORDER.matcher(t).matches()) {
      order(t);
    } else {
      throw new AssertionError(
          "line " + st.line() + ": step not understood: " + st.keyword() + " " + t);
    }
  }

  private void execute() throws Exception {
    try {
      String id =
          engine.start(engine.deploy(new WorkflowLoader().load("ctk.yaml", definition)), input);
      status = engine.completion(id).get(60, TimeUnit.SECONDS);
    } catch (DefinitionException e) {
      throw new AssertionError("definition rejected:\n" + e.getMessage(), e);
    }
  }

  private void expectState(InstanceState want) {
    check(status != null, "the workflow was not executed");
    check(
        status.state() == want,
        "state "
            + status.state()
            + ", expected "
            + want
            + (status.error() == null ? "" : " (" + status.error() + ")"));
  }

  /** The tasks in the order they started (helper nodes count as their task). */
  private List<String> tasks() {
    List<String> out = new ArrayList<>();
    for (String node : started.getOrDefault(status.instanceId(), List.of())) {
      String task = SwImporter.taskOf(node);
      if (task != null) {
        out.add(task);
      }
    }
    return out;
  }

  private void order(String t) {
    Matcher m = ORDER.matcher(t);
    m.matches();
    List<String> tasks = tasks();
    String a = m.group(1);
    check(tasks.contains(a), a + " did not run; ran " + tasks);
    switch (m.group(2)) {
      case "first" -> check(tasks.get(0).equals(a), a + " did not run first: " + tasks);
      case "last" ->
          check(tasks.get(tasks.size() - 1).equals(a), a + " did not run last: " + tasks);
      default -> {
        String b = m.group(3);
        check(tasks.contains(b), b + " did not run; ran " + tasks);
        boolean after = tasks.indexOf(a) > tasks.indexOf(b);
        check(
            m.group(2).equals("after") == after,
            a + " did not run " + m.group(2) + " " + b + ": " + tasks);
      }
    }
  }

  private static JsonNode path(JsonNode n, String dotted) {
    JsonNode cur = n;
    for (String p : dotted.split("\\.")) {
      cur = cur == null ? null : cur.path(p);
    }
    return cur == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : cur;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}

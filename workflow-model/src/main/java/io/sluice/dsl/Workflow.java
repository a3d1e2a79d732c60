package io.sluice.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link WorkflowGraph} in Java:
 *
 * <pre>{@code
 * WorkflowGraph g = Workflow.named("orders").version("1")
 *     .function("fetch", "synthetic", Map.of("computeMs", 5))
 *     .steps(task("a", "fetch"), parallel(task("b", "fetch"), task("c", "fetch")))
 *     .build();
 * }</pre>
 *
 * The graph equals the one the native format reads from the equivalent YAML. Validate it with
 * {@link io.sluice.model.validate.WorkflowValidator} before running it.
 */
public final class Workflow {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private String version = "1";
  private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
  private final List<Step> steps = new ArrayList<>();
  private final List<String> start = new ArrayList<>();
  private String output;

  private Workflow(String name) {
    this.name = name;
  }

  public static Workflow named(String name) {
    return new Workflow(name);
  }

  public String name() {
    return name;
  }

  public Workflow version(String version) {
    this.version = version;
    return this;
  }

  /** Declares a function of this workflow: its runtime and that runtime's settings. */
  public Workflow function(String functionName, String runtime, JsonNode settings) {
    functions.put(
        functionName, new FunctionDef(functionName, runtime, settings, Location.dsl(name)));
    return this;
  }

  public Workflow function(String functionName, String runtime, Map<String, ?> settings) {
    JsonNode tree = MAPPER.valueToTree(settings);
    return function(functionName, runtime, tree);
  }

  public Workflow function(String functionName, String runtime) {
    return function(functionName, runtime, (JsonNode) null);
  }

  /** The workflow's steps, in sequence (more calls append). */
  public Workflow steps(Step... more) {
    steps.addAll(List.of(more));
    return this;
  }

  /** Declares the entry nodes explicitly (else every node without incoming edges). */
  public Workflow start(String... ids) {
    start.addAll(List.of(ids));
    return this;
  }

  /** jq mapping from the sinks' results to the workflow's output. */
  public Workflow output(String jq) {
    this.output = jq;
    return this;
  }

  public WorkflowGraph build() {
    Assembly a = new Assembly(name);
    if (!steps.isEmpty()) {
      new Sequence(steps).addTo(a);
    }
    return a.graph(
        version, start, functions, output == null ? null : new Expr(output, a.location()));
  }
}

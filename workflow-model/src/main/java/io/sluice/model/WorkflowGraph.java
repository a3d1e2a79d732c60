package io.sluice.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The static workflow graph (the middle layer): what every front end produces and every back end
 * consumes. Immutable. It may be invalid (a dangling edge, a cycle): {@code
 * io.sluice.model.validate.WorkflowValidator} reports every problem at once, and nothing runs a
 * graph it has not accepted.
 *
 * @param name the workflow's name
 * @param version the definition's version (any string; part of the deployment identity)
 * @param nodes nodes by id, in definition order
 * @param edges control-flow edges
 * @param start explicit entry nodes; empty = every node without incoming edges
 * @param functions functions the workflow declares itself, by name
 * @param output jq mapping from the default output (the sinks' results) to the workflow's output
 * @param location where the workflow was defined
 * @param schedule when a cluster's master starts instances by itself; null = only when asked
 */
public record WorkflowGraph(
    String name,
    String version,
    Map<String, Node> nodes,
    List<Edge> edges,
    List<String> start,
    Map<String, FunctionDef> functions,
    Expr output,
    Location location,
    WorkflowSchedule schedule) {

  public WorkflowGraph {
    Objects.requireNonNull(name, "workflow name");
    version = version == null ? "1" : version;
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    edges = List.copyOf(edges);
    start = start == null ? List.of() : List.copyOf(start);
    functions =
        functions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    location = location == null ? Location.UNKNOWN : location;
  }

  /** A graph without a schedule. */
  public WorkflowGraph(
      String name,
      String version,
      Map<String, Node> nodes,
      List<Edge> edges,
      List<String> start,
      Map<String, FunctionDef> functions,
      Expr output,
      Location location) {
    this(name, version, nodes, edges, start, functions, output, location, null);
  }

  /** This graph with {@code s} as its schedule. */
  public WorkflowGraph withSchedule(WorkflowSchedule s) {
    return new WorkflowGraph(name, version, nodes, edges, start, functions, output, location, s);
  }

  public Node node(String id) {
    return nodes.get(id);
  }

  /** Equality ignores where the workflow was defined, so a DSL graph equals its YAML twin. */
  @Override
  public boolean equals(Object o) {
    return o instanceof WorkflowGraph g
        && name.equals(g.name)
        && version.equals(g.version)
        && nodes.equals(g.nodes)
        && new java.util.HashSet<>(edges).equals(new java.util.HashSet<>(g.edges))
        && start.equals(g.start)
        && functions.equals(g.functions)
        && Objects.equals(output, g.output)
        && Objects.equals(schedule, g.schedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, nodes, start, functions, output);
  }

  @Override
  public String toString() {
    return "WorkflowGraph[" + name + "@" + version + ", " + nodes.size() + " nodes]";
  }
}

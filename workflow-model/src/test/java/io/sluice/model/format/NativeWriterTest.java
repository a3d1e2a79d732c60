package io.sluice.model.format;

import static io.sluice.testing.Definitions.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Join;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.testing.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** parse(write(g)) equals g, for YAML and JSON, for graphs from every source. */
class NativeWriterTest {
  private static final WorkflowLoader LOADER = new WorkflowLoader();

  private static void assertRoundTrips(WorkflowGraph g) {
    assertThat(LOADER.load("written.yaml", NativeWriter.toYaml(g))).isEqualTo(g);
    assertThat(LOADER.load("written.json", NativeWriter.toJson(g))).isEqualTo(g);
  }

  @Test
  void everyExampleRoundTrips() throws Exception {
    try (Stream<Path> files = Files.list(Definitions.root().resolve("examples"))) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).hasSizeGreaterThanOrEqualTo(8);
      for (Path p : yamls) {
        assertRoundTrips(LOADER.load(p));
      }
    }
  }

  @Test
  void aGraphBuiltByHandWithEveryFieldRoundTrips() {
    NodeOptions rich =
        new NodeOptions(
            Expr.of("{a: .}"),
            Expr.of(".a"),
            new RetryPolicy(
                4, Duration.ofNanos(1500), 1.5, Duration.ofMillis(7), 0.25, List.of("A", "B")),
            List.of(new Catcher(List.of("Timeout"), "h", null)),
            Duration.ofMillis(1234),
            new Join(2),
            new Hints(Duration.ofNanos(123_456_789), 4096, 3L << 30, 1.5),
            null);
    Map<String, Node> nodes = new LinkedHashMap<>();
    nodes.put("a", new TaskNode("a", "f", null));
    nodes.put("b", new TaskNode("b", "f", null));
    nodes.put("t", new TaskNode("t", "f", rich));
    nodes.put(
        "s",
        new SwitchNode(
            "s", List.of(new SwitchNode.Case(Expr.of(".x == \"y: z\""), "w")), "e", null));
    nodes.put("w", new WaitNode("w", Duration.ZERO, null));
    nodes.put("e", new EndNode("e", false, "Odd", "kept", null));
    nodes.put("h", new EndNode("h", true, null, null, null));
    WorkflowGraph iterator =
        parse("sluice: '1'\nname: m\nnodes: [{id: m, type: task, function: f}]\n");
    nodes.put("m", new MapNode("m", Expr.of(".[]"), iterator, 0, null));
    WorkflowGraph g =
        new WorkflowGraph(
            "hand",
            "2.0",
            nodes,
            List.of(
                new Edge("a", "t", Edge.Kind.NEXT, 100),
                new Edge("b", "t", Edge.Kind.NEXT, 0),
                new Edge("t", "s", Edge.Kind.NEXT, 5),
                new Edge("t", "h", Edge.Kind.CATCH, 77),
                new Edge("s", "w", Edge.Kind.BRANCH, 9),
                new Edge("s", "e", Edge.Kind.BRANCH, 0),
                Edge.next("w", "m")),
            List.of("a", "b"),
            Map.of(
                "f",
                new FunctionDef(
                    "f",
                    "process",
                    new ObjectMapper()
                        .valueToTree(Map.of("cmd", List.of("x", 1.5), "env", Map.of("K", true))),
                    null)),
            Expr.of("{out: .}"),
            null);
    assertRoundTrips(g);
  }

  @Test
  void aDslGraphRoundTripsAndOneTaskIteratorsUseTheShorthand() {
    WorkflowGraph g =
        parse(
            """
            sluice: "1.0"
            name: short
            nodes:
              - {id: m, type: map, items: .xs, function: f, next: l}
              - {id: l, type: loop, function: f, while: .more, maxIterations: 3}
            """);
    assertThat(NativeWriter.toTree(g).get("nodes").get(0).get("function").asText()).isEqualTo("f");
    assertRoundTrips(g);
  }
}

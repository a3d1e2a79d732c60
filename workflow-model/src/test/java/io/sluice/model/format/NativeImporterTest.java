package io.sluice.model.format;

import static io.sluice.testing.Definitions.parse;
import static io.sluice.testing.Definitions.readProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.model.DefinitionException;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Expr;
import io.sluice.model.Hints;
import io.sluice.model.Join;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Problem;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeImporterTest {

  @Test
  void readsEveryNodeKindWithItsKeys() {
    WorkflowGraph g =
        parse(
            """
            sluice: "1.0"
            name: kinds
            version: 3
            start: [t]
            output: .x
            functions:
              f: {runtime: synthetic, computeMs: 5}
            nodes:
              - {id: t, type: task, function: f, next: [s, {to: m, bytes: 1KB}]}
              - id: s
                type: switch
                cases: [{when: .a, next: w}]
                default: {to: e, bytes: 10}
              - {id: m, type: map, items: .xs, maxConcurrency: 2, function: f, next: l}
              - {id: l, type: loop, function: f, while: .more, next: sub}
              - {id: w, type: wait, duration: 1.5s}
              - {id: e, type: event, eventType: x.y, correlation: .data.id == $input.id}
              - {id: sub, type: subworkflow, workflow: {nodes: [{id: p, type: pass}]}, next: end}
              - {id: end, type: end, fail: true}
            """);
    assertThat(g.name()).isEqualTo("kinds");
    assertThat(g.version()).isEqualTo("3");
    assertThat(g.start()).containsExactly("t");
    assertThat(g.output()).isEqualTo(Expr.of(".x"));
    assertThat(g.functions().get("f").settings().get("computeMs").asInt()).isEqualTo(5);
    assertThat(g.node("t")).isInstanceOf(TaskNode.class);
    assertThat(((SwitchNode) g.node("s")).cases()).hasSize(1);
    assertThat(((SwitchNode) g.node("s")).defaultTarget()).isEqualTo("e");
    assertThat(((MapNode) g.node("m")).maxConcurrency()).isEqualTo(2);
    assertThat(((LoopNode) g.node("l")).maxIterations()).isEqualTo(100);
    assertThat(((WaitNode) g.node("w")).duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(((EventWaitNode) g.node("e")).correlation())
        .isEqualTo(Expr.of(".data.id == $input.id"));
    assertThat(((SubWorkflowNode) g.node("sub")).workflow().name()).isEqualTo("sub");
    assertThat(((EndNode) g.node("end")).error()).isEqualTo("WorkflowFailed");
    assertThat(g.edges())
        .containsExactlyInAnyOrder(
            Edge.next("t", "s"),
            new Edge("t", "m", Edge.Kind.NEXT, 1000),
            new Edge("s", "w", Edge.Kind.BRANCH),
            new Edge("s", "e", Edge.Kind.BRANCH, 10),
            Edge.next("m", "l"),
            Edge.next("l", "sub"),
            Edge.next("sub", "end"));
    assertThat(g.node("s").location().line()).isEqualTo(10);
  }

  @Test
  void readsNodeOptions() {
    WorkflowGraph g =
        parse(
            """
            sluice: "1.0"
            name: opts
            nodes:
              - id: a
                type: task
                function: f
                retry: {maxAttempts: 5, initialBackoff: PT0.2S, multiplier: 1.5, jitter: 0.5, retryOn: [X]}
                timeout: 1m
                join: 2
                hints: {computeTime: 2s, outputBytes: 2MiB, memory: 1GB, cores: 2}
                catch: [{errors: [X], next: h}]
              - {id: h, type: pass, join: any, retry: 4}
            """);
    var o = g.node("a").options();
    assertThat(o.retry())
        .isEqualTo(
            new RetryPolicy(
                5, Duration.ofMillis(200), 1.5, Duration.ofMillis(12800), 0.5, List.of("X")));
    assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.join()).isEqualTo(new Join(2));
    assertThat(o.hints()).isEqualTo(new Hints(Duration.ofSeconds(2), 2L << 20, 1_000_000_000L, 2));
    assertThat(o.catchers().get(0).next()).isEqualTo("h");
    assertThat(o.catchers().get(0).location().line()).isEqualTo(11);
    assertThat(g.edges()).contains(new Edge("a", "h", Edge.Kind.CATCH));
    assertThat(g.node("h").options().join()).isEqualTo(Join.ANY);
    assertThat(g.node("h").options().retry()).isEqualTo(RetryPolicy.of(4, Duration.ofSeconds(1)));
  }

  @Test
  void readsJsonToo() {
    WorkflowGraph g =
        parse(
            """
            {"sluice": "1.0", "name": "j",
             "nodes": [{"id": "a", "type": "pass", "next": "b"},
                       {"id": "b", "type": "pass"}]}
            """);
    assertThat(g.edges()).containsExactly(Edge.next("a", "b"));
  }

  @Test
  void malformedYamlNamesTheLine() {
    List<Problem> p =
        readProblems(
            """
            sluice: "1.0"
            name: bad
            nodes:
              - id: a
                type: [pass
            """);
    assertThat(p).hasSize(1);
    assertThat(p.get(0).toString()).startsWith("test.yaml:6: -: malformed YAML");
  }

  @Test
  void everyProblemIsReportedWithItsLineAndNode() {
    List<Problem> p =
        readProblems(
            """
            sluice: "1.0"
            name: many
            colour: blue
            nodes:
              - id: a
                type: task
                functon: f
              - id: b
                type: teleport
              - id: c
                type: wait
                duration: soon
              - id: a
                type: pass
              - id: d
                type: map
                items: .x
              - id: e/f
                type: pass
              - id: g
                type: task
                function: f
                retry: {maxAttempts: 0}
                join: some
                timeout: 0s
                catch: [{errors: [X]}]
            """);
    assertThat(p)
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:3: -: unknown key 'colour' in a workflow; allowed: description, functions,"
                + " name, nodes, output, schedule, sluice, start, version",
            "test.yaml:5: a: missing required key 'function'",
            "test.yaml:7: a: unknown key 'functon' in a task node; allowed: catch, function, hints,"
                + " id, input, join, next, output, retry, timeout, type",
            "test.yaml:9: b: unknown node type 'teleport'; expected one of: task, switch, map,"
                + " loop, wait, event, subworkflow, pass, end",
            "test.yaml:12: c: 'duration': bad duration 'soon': write e.g. 250ms, 2s, 1.5s, 1m, 2h"
                + " or ISO-8601 like PT2S",
            "test.yaml:13: a: duplicate node id 'a' (first defined at line 5)",
            "test.yaml:15: d: missing 'iterator' (an inline workflow) or 'function'",
            "test.yaml:18: e/f: node id must not contain '/': e/f",
            "test.yaml:23: g: 'maxAttempts' must be a whole number from 1 to 2147483647, got 0",
            "test.yaml:24: g: 'join' must be all, any or a number >= 1, got \"some\"",
            "test.yaml:25: g: 'timeout' must be positive, got PT0S",
            "test.yaml:26: g: catch entry needs 'next': the node that handles the error");
  }

  @Test
  void countsPastTheLargestIntAreProblemsNotOverflows() {
    // 2147483648 once wrapped to -2147483648 (an IllegalArgumentException, not a problem) and
    // 4294967297 to 1
    List<Problem> p =
        readProblems(
            """
            sluice: "1.0"
            name: big
            nodes:
              - {id: a, type: pass, retry: 2147483648, next: b}
              - {id: b, type: pass, retry: {maxAttempts: 4294967297}, next: c}
              - id: c
                type: loop
                while: "false"
                maxIterations: 4294967297
                body: {nodes: [{id: x, type: pass}]}
                next: d
              - id: d
                type: map
                items: "[]"
                maxConcurrency: 99999999999999999999
                iterator: {nodes: [{id: y, type: pass}]}
            """);
    assertThat(p)
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:4: a: 'retry' must be a whole number from 1 to 2147483647, got 2147483648",
            "test.yaml:5: b: 'maxAttempts' must be a whole number from 1 to 2147483647, got"
                + " 4294967297",
            "test.yaml:9: c: 'maxIterations' must be a whole number from 1 to 2147483647, got"
                + " 4294967297",
            "test.yaml:15: d: 'maxConcurrency' must be a whole number from 0 to 2147483647, got"
                + " 99999999999999999999");
  }

  @Test
  void innerWorkflowProblemsNameTheOuterNode() {
    List<Problem> p =
        readProblems(
            """
            sluice: "1.0"
            name: outer
            nodes:
              - id: each
                type: map
                items: .x
                iterator:
                  nodes:
                    - {id: p, type: task}
            """);
    assertThat(p)
        .extracting(Problem::toString)
        .containsExactly("test.yaml:9: each/p: missing required key 'function'");
  }

  @Test
  void versionKeyIsRequiredAndChecked() {
    assertThat(readProblems("sluice: '2.0'\nname: x\nnodes: [{id: a, type: pass}]\n"))
        .extracting(Problem::toString)
        .containsExactly(
            "test.yaml:1: -: unsupported format version 'sluice: 2.0'; this reader reads 1.x");
    assertThat(readProblems("name: x\nnodes: []\n"))
        .extracting(Problem::toString)
        .singleElement()
        .asString()
        .startsWith(
            "test.yaml:1: -: not a Sluice, FaaSFlow or WfCommons definition: found top-level keys [name, nodes]");
  }

  @Test
  void subworkflowFilesAreResolvedAgainstTheIncludingFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(
        dir.resolve("main.yaml"),
        "sluice: '1.0'\nname: main\nnodes:\n  - {id: s, type: subworkflow, workflow: sub/child.yaml}\n");
    Files.writeString(
        dir.resolve("sub/child.yaml"),
        "sluice: '1.0'\nname: child\nnodes:\n  - {id: c, type: subworkflow, workflow: ../leaf.json}\n");
    Files.writeString(
        dir.resolve("leaf.json"),
        "{\"sluice\": \"1.0\", \"name\": \"leaf\", \"nodes\": [{\"id\": \"x\", \"type\": \"pass\"}]}");
    WorkflowGraph g = new WorkflowLoader().load(dir.resolve("main.yaml"));
    WorkflowGraph child = ((SubWorkflowNode) g.node("s")).workflow();
    assertThat(child.name()).isEqualTo("child");
    assertThat(((SubWorkflowNode) child.node("c")).workflow().node("x")).isNotNull();
  }

  @Test
  void includesCannotLeaveTheTopLevelFilesFolder(@TempDir Path dir) throws Exception {
    Path top = dir.resolve("top");
    Files.createDirectories(top.resolve("sub"));
    Files.writeString(
        dir.resolve("outside.yaml"), "sluice: '1.0'\nname: out\nnodes:\n  - {id: x, type: pass}\n");
    Files.createSymbolicLink(top.resolve("link.yaml"), dir.resolve("outside.yaml"));
    Files.writeString(
        top.resolve("sub/child.yaml"),
        "sluice: '1.0'\nname: child\nnodes:\n  - {id: c, type: subworkflow, workflow: ../../outside.yaml}\n");
    String main =
        "sluice: '1.0'\nname: main\nnodes:\n"
            + "  - {id: abs, type: subworkflow, workflow: "
            + dir.resolve("outside.yaml")
            + "}\n"
            + "  - {id: up, type: subworkflow, workflow: ../outside.yaml}\n"
            + "  - {id: link, type: subworkflow, workflow: link.yaml}\n"
            + "  - {id: deep, type: subworkflow, workflow: sub/child.yaml}\n";
    Files.writeString(top.resolve("main.yaml"), main);
    for (DefinitionException e :
        List.of(
            catchThrowableOfType(
                () -> new WorkflowLoader().load(top.resolve("main.yaml")),
                DefinitionException.class),
            // sent as text (a master or worker parsing a client's definition): the same folder
            catchThrowableOfType(
                () -> new WorkflowLoader().load(top.resolve("main.yaml").toString(), main),
                DefinitionException.class))) {
      assertThat(e.getMessage())
          .contains(
              "abs: cannot include '"
                  + dir.resolve("outside.yaml")
                  + "': the path is an absolute path")
          .contains("up: cannot include '../outside.yaml': the path climbs out of " + top)
          .contains("link: cannot include 'link.yaml': the path is a symbolic link to")
          .contains("c: cannot include '../../outside.yaml': the path climbs out of " + top);
    }
  }

  @Test
  void includeCyclesAndMissingFilesAreProblems(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        "sluice: '1.0'\nname: a\nnodes:\n  - {id: s, type: subworkflow, workflow: b.yaml}\n  - {id: m, type: subworkflow, workflow: missing.yaml}\n");
    Files.writeString(
        dir.resolve("b.yaml"),
        "sluice: '1.0'\nname: b\nnodes:\n  - {id: s, type: subworkflow, workflow: a.yaml}\n");
    assertThatThrownBy(() -> new WorkflowLoader().load(dir.resolve("a.yaml")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("b.yaml:4: s: cannot include 'a.yaml': ")
        .hasMessageContaining("subworkflow include cycle")
        .hasMessageContaining(
            "a.yaml:5: m: cannot include 'missing.yaml': cannot read file: no such file")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void aFolderOrAMissingFileIsSaidInWords(@TempDir Path dir) {
    assertThatThrownBy(() -> new WorkflowLoader().load(dir))
        .isInstanceOf(DefinitionException.class)
        .hasMessageEndingWith("cannot read file: it is a folder, not a file");
    assertThatThrownBy(() -> new WorkflowLoader().load(dir.resolve("nope.yaml")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageEndingWith("cannot read file: no such file");
  }

  @Test
  void durationsAndSizes() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    for (Duration d :
        List.of(
            Duration.ofNanos(1), Duration.ofMillis(1500), Duration.ofHours(49), Duration.ZERO)) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
    assertThat(ByteSizes.parse("256MB")).isEqualTo(256_000_000L);
    assertThat(ByteSizes.parse("1GiB")).isEqualTo(1L << 30);
    assertThat(ByteSizes.parse("12")).isEqualTo(12);
    assertThatThrownBy(() -> ByteSizes.parse("lots")).hasMessageContaining("bad size 'lots'");
  }
}

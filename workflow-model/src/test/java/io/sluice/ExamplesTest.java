package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.NativeWriter;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import io.sluice.testing.Definitions;
import io.sluice.testing.MiniSchemaValidator;
import java.io.File;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples/ folder: every workflow reads, validates clean and matches the schema. */
class ExamplesTest {
  private static final Path EXAMPLES = Definitions.root().resolve("examples");
  private static JsonNode schema;

  /**
   * Functions an example leaves to the registry its script passes with {@code --functions}
   * (hybrid/run.sh writes {@code risk} with the URL of the functions framework it started), by the
   * example's path under examples/.
   */
  private static final Map<String, Set<String>> FROM_REGISTRY =
      Map.of(
          "hybrid/order.yaml",
          Set.of("risk"),
          "translated/chain-fanout.sw.yaml",
          Set.of("step", "work"));

  @BeforeAll
  static void readSchema() throws Exception {
    try (InputStream in =
        ExamplesTest.class.getResourceAsStream(
            "/io/sluice/model/format/sluice-workflow-1.0.schema.json")) {
      schema = new ObjectMapper().readTree(in);
    }
  }

  private static List<Path> yamlFiles() throws Exception {
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyExampleReadsAndValidatesClean() throws Exception {
    List<String> names = new ArrayList<>();
    for (Path p : yamlFiles()) {
      WorkflowGraph g = new WorkflowLoader().load(p);
      String relative = EXAMPLES.relativize(p).toString().replace(File.separatorChar, '/');
      Set<String> registry = FROM_REGISTRY.getOrDefault(relative, Set.of());
      assertThat(new WorkflowValidator().validate(g, registry::contains))
          .as(p.toString())
          .isEmpty();
      names.add(p.getFileName().toString());
    }
    assertThat(names)
        .contains(
            "hello.yaml",
            "parallel-join.yaml",
            "switch.yaml",
            "map.yaml",
            "retry-catch.yaml",
            "wait-event.yaml",
            "loop-subworkflow.yaml",
            "order.yaml");
  }

  @Test
  void theAmazonStatesLanguageExampleReadsAndValidatesClean() {
    // examples/asl/functions.json binds its Resources; the engine tests and AslClusterTest run it
    WorkflowGraph g = new WorkflowLoader().load(EXAMPLES.resolve("asl/order.asl.json"));
    assertThat(new WorkflowValidator().validate(g, Set.of("Upper", "Echo")::contains)).isEmpty();
    assertThat(g.nodes()).containsKeys("Normalize", "HasItems", "EachItem", "Summarize", "Done");
  }

  @Test
  void theTranslatedTwinsReadAndValidateCleanWithTheSameTasks() {
    // examples/translated: one workflow as native, Serverless Workflow and ASL (docs/benchmarks.md)
    for (String f : List.of("chain-fanout.yaml", "chain-fanout.sw.yaml", "chain-fanout-asl.json")) {
      WorkflowGraph g = new WorkflowLoader().load(EXAMPLES.resolve("translated").resolve(f));
      assertThat(new WorkflowValidator().validate(g, Set.of("step", "work")::contains))
          .as(f)
          .isEmpty();
      List<String> calls =
          io.sluice.model.GraphWalk.nodes(g)
              .map(io.sluice.model.GraphWalk.NestedNode::node)
              .filter(n -> n instanceof io.sluice.model.TaskNode)
              .map(n -> ((io.sluice.model.TaskNode) n).function())
              .sorted()
              .toList();
      assertThat(calls)
          .as(f)
          .containsExactly("step", "step", "step", "step", "work", "work", "work");
    }
  }

  @Test
  void schemaNamesEveryNodeTypeAndEveryExampleMatchesIt() throws Exception {
    assertThat(schema.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    for (String kind :
        List.of("task", "switch", "map", "loop", "wait", "event", "subworkflow", "pass", "end")) {
      assertThat(schema.get("$defs").has(kind)).as(kind).isTrue();
    }
    MiniSchemaValidator v = new MiniSchemaValidator(schema);
    for (Path p : yamlFiles()) {
      JsonNode doc = SourceDocument.read(p).root();
      if (doc.has("sluice")) { // other formats (serverless-workflow/) have their own schema
        assertThat(v.validate(doc)).as(p.toString()).isEmpty();
      }
      WorkflowGraph g = new WorkflowLoader().load(p);
      assertThat(v.validate(NativeWriter.toTree(g))).as("written " + p).isEmpty();
    }
    JsonNode bad =
        SourceDocument.parse("x.yaml", "sluice: '1.0'\nname: x\nnodes: [{id: a, type: task}]\n")
            .root();
    assertThat(v.validate(bad)).isNotEmpty();
  }

  @Test
  void theJavaDslExampleCompilesAndEqualsItsYamlTwin(@TempDir Path out) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Set<String> cp =
        new LinkedHashSet<>(
            List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    for (Class<?> c : List.of(WorkflowGraph.class, JsonNode.class, ObjectMapper.class)) {
      cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    Path source = EXAMPLES.resolve("java/OrderWorkflow.java");
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            out.toString(),
            "-classpath",
            String.join(File.pathSeparator, cp),
            source.toString());
    assertThat(rc).as("javac exit code").isZero();
    try (URLClassLoader loader =
        new URLClassLoader(new java.net.URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      WorkflowGraph built =
          (WorkflowGraph) loader.loadClass("OrderWorkflow").getMethod("build").invoke(null);
      WorkflowGraph twin = new WorkflowLoader().load(EXAMPLES.resolve("order.yaml"));
      assertThat(built).isEqualTo(twin);
      assertThat(Definitions.validate(built)).isEmpty();
    }
  }
}

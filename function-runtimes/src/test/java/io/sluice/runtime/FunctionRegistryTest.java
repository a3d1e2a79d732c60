package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.time.ManualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionRegistryTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static final String YAML =
      """
      # functions of the image pipeline
      functions:
        resize: {runtime: process, command: ["python3", "resize.py"], timeout: 5s}
        hello:
          runtime: java
          class: com.example.Hello
      """;

  @Test
  void readsYamlWithSettingsWithoutTheRuntimeAndTheirLines() throws IOException {
    Path file = write("functions.yaml", YAML);
    FunctionRegistry registry = FunctionRegistry.load(file);

    assertThat(registry.functions().keySet()).containsExactly("resize", "hello");
    FunctionDef resize = registry.find("resize").orElseThrow();
    assertThat(resize.runtime()).isEqualTo("process");
    assertThat(resize.settings().has("runtime")).isFalse();
    assertThat(resize.settings().get("command").get(1).asText()).isEqualTo("resize.py");
    assertThat(resize.settings().get("timeout").asText()).isEqualTo("5s");
    assertThat(resize.location()).isEqualTo(Location.of(file.toString(), 3));

    FunctionDef hello = registry.find("hello").orElseThrow();
    assertThat(hello.runtime()).isEqualTo("java");
    assertThat(hello.settings()).isEqualTo(JSON.objectNode().put("class", "com.example.Hello"));
    assertThat(hello.location().line()).isEqualTo(4);
    assertThat(registry.find("missing")).isEmpty();
  }

  @Test
  void readsTheSameFromJson() throws IOException {
    Path yaml = write("f.yaml", YAML);
    Path json =
        write(
            "f.json",
            """
            {"functions": {
              "resize": {"runtime": "process", "command": ["python3", "resize.py"], "timeout": "5s"},
              "hello": {"runtime": "java", "class": "com.example.Hello"}
            }}
            """);
    assertThat(FunctionRegistry.load(json)).isEqualTo(FunctionRegistry.load(yaml));
    assertThat(FunctionRegistry.load(json).find("hello").orElseThrow().location().line())
        .isEqualTo(3);
  }

  @Test
  void everyProblemIsReportedAtItsLine() throws IOException {
    Path file =
        write(
            "bad.yaml",
            """
            functions:
              ok: {runtime: synthetic}
              notAMap: 42
              noRuntime: {command: cat}
            extra: true
            """);
    assertThatThrownBy(() -> FunctionRegistry.load(file))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e -> {
              assertThat(e.problems()).hasSize(3);
              assertThat(e.getMessage())
                  .contains(file + ":3: -: function 'notAMap' must be a map")
                  .contains(file + ":4: -: function 'noRuntime' needs a 'runtime'")
                  .contains(file + ":5: -: unknown key 'extra'");
            });
  }

  @Test
  void aFileWithoutAFunctionsSectionIsRejected() throws IOException {
    assertThatThrownBy(() -> FunctionRegistry.load(write("list.yaml", "- a\n- b\n")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("'functions' section");
    assertThatThrownBy(() -> FunctionRegistry.load(write("wrong.yaml", "functions: [a]\n")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("wrong.yaml:1");
  }

  @Test
  void checkingAgainstRuntimesNamesTheFunctionOfAnUnknownRuntime() throws IOException {
    Path file =
        write(
            "r.yaml",
            """
            functions:
              good: {runtime: synthetic, computeMs: 5}
              lambda: {runtime: knative, url: x}
              broken: {runtime: process}
            """);
    try (FunctionRuntimes runtimes =
        FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()))) {
      assertThatThrownBy(() -> FunctionRegistry.load(file, runtimes))
          .isInstanceOfSatisfying(
              DefinitionException.class,
              e -> {
                assertThat(e.problems()).hasSize(2);
                assertThat(e.problems().get(0).toString())
                    .startsWith(file + ":3:")
                    .contains("function 'lambda' uses runtime 'knative'")
                    .contains("java, openwhisk, process, synthetic");
                assertThat(e.problems().get(1).toString())
                    .startsWith(file + ":4:")
                    .contains("function 'broken': setting 'command'");
              });
    }
  }

  @Test
  void overridingPrefersThisRegistrysFunctions() {
    FunctionDef a1 = new FunctionDef("a", "java", null, null);
    FunctionDef a2 = new FunctionDef("a", "synthetic", null, null);
    FunctionDef b = new FunctionDef("b", "java", null, null);
    FunctionRegistry file = FunctionRegistry.of(Map.of("a", a1));
    FunctionRegistry workflow = FunctionRegistry.of(Map.of("a", a2, "b", b));

    FunctionRegistry merged = file.overriding(workflow);
    assertThat(merged.find("a")).contains(a1);
    assertThat(merged.find("b")).contains(b);
    assertThat(merged.size()).isEqualTo(2);
    assertThat(FunctionRegistry.empty().overriding(workflow)).isEqualTo(workflow);
    assertThat(file.overriding(FunctionRegistry.empty())).isSameAs(file);
  }

  @Test
  void ofRequiresKeysToBeTheFunctionsNames() {
    assertThat(FunctionRegistry.of(Map.of())).isSameAs(FunctionRegistry.empty());
    assertThat(FunctionRegistry.empty().isEmpty()).isTrue();
    assertThatThrownBy(
            () -> FunctionRegistry.of(Map.of("x", new FunctionDef("y", "java", null, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'");
  }

  @Test
  void isImmutable() throws IOException {
    FunctionRegistry registry = FunctionRegistry.load(write("f.yaml", YAML));
    assertThatThrownBy(() -> registry.functions().remove("hello"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}

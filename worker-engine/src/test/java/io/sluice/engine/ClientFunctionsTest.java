package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.FunctionDef;
import io.sluice.model.format.SourceDocument;
import io.sluice.runtime.FunctionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientFunctionsTest {
  @TempDir Path dir;

  @Test
  void codeReadOnTheClientTravelsInTheRegistryAndOverridesTheDeclaration() throws Exception {
    Files.writeString(dir.resolve("f.py"), "def main(x):\n    return x\n");
    Path wf = dir.resolve("wf.yaml");
    Files.writeString(
        wf,
        "sluice: \"1.0\"\nname: w\nfunctions:\n"
            + "  f: {runtime: docker, image: img, code: ./f.py}\n"
            + "  g: {runtime: java, name: sluice.identity}\n"
            + "nodes:\n  - {id: a, type: task, function: f, next: b}\n"
            + "  - {id: b, type: task, function: g}\n");
    Definitions.Loaded loaded = Definitions.read(wf, null);
    Map<String, FunctionDef> bound = ClientFunctions.bind(loaded, false, "jvm");
    assertThat(bound).containsOnlyKeys("f");
    assertThat(ClientFunctions.changed(loaded, bound)).isTrue();
    FunctionRegistry sent =
        FunctionRegistry.read(SourceDocument.parse("x", ClientFunctions.registryText(bound)));
    assertThat(sent.find("f").orElseThrow().settings().get("codeText").asText())
        .isEqualTo("def main(x):\n    return x\n");
  }

  @Test
  void syntheticFunctionsGoIntoContainersDeclaredOrNot() throws Exception {
    Path wf = dir.resolve("wf.yaml");
    Files.writeString(
        wf,
        "sluice: \"1.0\"\nname: w\nfunctions:\n"
            + "  s: {runtime: synthetic, computeMs: 5}\n"
            + "  j: {runtime: java, name: sluice.identity}\n"
            + "nodes:\n  - {id: a, type: task, function: s, next: b}\n"
            + "  - {id: b, type: task, function: j, next: c}\n"
            + "  - {id: c, type: task, function: undeclared}\n");
    Definitions.Loaded loaded = Definitions.read(wf, null);
    assertThat(ClientFunctions.changed(loaded, ClientFunctions.bind(loaded, true, "jvm")))
        .isFalse();
    Map<String, FunctionDef> bound = ClientFunctions.bind(loaded, true, "docker");
    assertThat(bound).containsOnlyKeys("s", "undeclared");
    assertThat(bound.get("s").settings().get("container").asText()).isEqualTo("docker");
    assertThat(bound.get("s").settings().get("computeMs").asInt()).isEqualTo(5);
    assertThat(bound.get("undeclared").runtime()).isEqualTo("synthetic");
    assertThat(ClientFunctions.bind(loaded, false, "docker")).containsOnlyKeys("s");
  }

  @Test
  void faasflowFunctionsAreSyntheticAndAllMoveIntoContainers() {
    Path genome =
        Path.of(System.getProperty("sluice.corpus", "../corpus"))
            .resolve("faasflow/genome/flat_workflow.yaml");
    Definitions.Loaded loaded = Definitions.read(genome, null);
    Map<String, FunctionDef> bound = ClientFunctions.bind(loaded, true, "docker");
    assertThat(bound).hasSize(50);
    assertThat(bound.values())
        .allSatisfy(f -> assertThat(f.settings().get("container").asText()).isEqualTo("docker"));
  }
}

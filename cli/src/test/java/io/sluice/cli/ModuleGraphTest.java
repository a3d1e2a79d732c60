package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md draws the module graph; this test keeps it true to the poms: every module of
 * the reactor, with its compile-scope dependencies on the project's own modules, in pom order.
 */
class ModuleGraphTest {
  private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).normalize();
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern ARTIFACT =
      Pattern.compile("<artifactId>sluice-([^<]+)</artifactId>");

  @Test
  void architectureDocDrawsThePomsModuleGraph() throws Exception {
    assertThat(documentedGraph()).isEqualTo(pomGraph());
  }

  /** module → its compile-scope dependencies on sibling modules, as the poms declare them. */
  static Map<String, List<String>> pomGraph() throws Exception {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String module = modules.group(1);
      List<String> deps = new ArrayList<>();
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      pom = pom.substring(pom.indexOf("<dependencies>") < 0 ? 0 : pom.indexOf("<dependencies>"));
      Matcher d = DEPENDENCY.matcher(pom);
      while (d.find()) {
        String dep = d.group(1);
        Matcher a = ARTIFACT.matcher(dep);
        if (a.find()
            && !dep.contains("<scope>test</scope>")
            && !dep.contains("<type>test-jar</type>")
            && !deps.contains(a.group(1))) {
          deps.add(a.group(1));
        }
      }
      graph.put(module, deps);
    }
    return graph;
  }

  /** The first fenced block under "## Modules" in docs/architecture.md: {@code module -> a, b}. */
  static Map<String, List<String>> documentedGraph() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs").resolve("architecture.md"));
    String section = doc.substring(doc.indexOf("## Modules"));
    int open = section.indexOf("```\n") + 4;
    String block = section.substring(open, section.indexOf("```", open));
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (String line : block.strip().split("\n")) {
      String[] parts = line.split("->");
      List<String> deps = new ArrayList<>();
      if (parts.length > 1) {
        for (String d : parts[1].split(",")) {
          deps.add(d.strip());
        }
      }
      graph.put(parts[0].strip(), deps);
    }
    return graph;
  }
}

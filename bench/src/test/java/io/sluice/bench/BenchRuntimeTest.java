package io.sluice.bench;

import static io.sluice.bench.BenchCommandTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.docker.DockerProbe;
import io.sluice.runtime.http.FunctionsFramework;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice bench runtime}, in-process, with few calls. The docker row needs an engine and the
 * http row Google's functions framework ({@code SLUICE_NODE_TOOLS}): without one, its row is left
 * out (with the reason printed), except under {@code CI=true}, where that fails.
 */
@IntegrationTest // starts processes, and containers when an engine answers
class BenchRuntimeTest {

  private static List<String> runtimes() throws Exception {
    List<String> kinds = new ArrayList<>();
    String why = DockerProbe.problem();
    if (why == null) {
      buildPythonImage();
      kinds.add("docker");
    } else {
      leftOut("docker", why);
    }
    kinds.addAll(List.of("process", "java"));
    String noNode = FunctionsFramework.problem();
    if (noNode == null) {
      kinds.add("http");
    } else {
      leftOut("http", noNode);
    }
    return kinds;
  }

  private static void leftOut(String row, String why) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: the " + row + " row must be measured, not left out)");
    }
    System.err.println("BenchRuntimeTest: " + row + " row left out: " + why);
  }

  private static void buildPythonImage() throws Exception {
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    Process p =
        new ProcessBuilder(root.resolve("images/build.sh").toString(), "python")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("images/build.sh: " + out).isZero();
  }

  @Test
  void printsARowPerRuntimeInTheOrderAsked() throws Exception {
    List<String> kinds = runtimes();
    var r =
        sluice(
            "bench",
            "runtime",
            "--runtime",
            String.join(",", kinds),
            "--calls",
            "20",
            "--concurrency",
            "2",
            "--json");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    List<String> seen = new ArrayList<>();
    for (JsonNode row : r.json()) {
      seen.add(row.get("runtime").asText());
      for (String f : List.of("coldStartMs", "warmCallMs", "warmCallP99Ms", "callsPerSec")) {
        assertThat(row.get(f).isNumber()).as(row + " " + f).isTrue();
      }
      assertThat(row.get("callsPerSec").asDouble()).as(row.toString()).isPositive();
      assertThat(row.get("warmCallP99Ms").asDouble())
          .isGreaterThanOrEqualTo(row.get("warmCallMs").asDouble());
    }
    assertThat(seen).containsExactlyElementsOf(kinds);
  }

  @Test
  void withoutJsonATableAndBadArgumentsExitTwo() throws Exception {
    var t = sluice("bench", "runtime", "--runtime", "java,process", "--calls", "5");
    assertThat(t.exit()).as(t.err()).isZero();
    assertThat(t.out()).contains("runtime", "cold ms", "warm p50 ms", "java", "process");
    var bad = sluice("bench", "runtime", "--runtime", "lambda");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("lambda", "is not one of");
    assertThat(sluice("bench", "runtime", "--calls", "0").exit()).isEqualTo(2);
  }
}

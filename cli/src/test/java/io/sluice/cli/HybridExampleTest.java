package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/hybrid/run.sh as a user runs it: Redis, Google's functions framework, a master and two
 * workers started by the script, one order through a java, an http (CloudEvents) and a process step
 * and an approval from a Redis stream, everything stopped again. Needs Node.js and the npm packages
 * of scripts/npm-tools.sh ({@code SLUICE_NODE_TOOLS}); skipped without them, failed under {@code
 * CI=true}.
 */
@IntegrationTest // starts Redis, Node.js and Sluice processes through the example's script
class HybridExampleTest {
  private static final Path ROOT =
      Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void theHybridOrderCompletesWithItsReceipt() throws Exception {
    String tools = System.getenv("SLUICE_NODE_TOOLS");
    if (tools == null || !Files.isExecutable(Path.of(tools, ".bin", "functions-framework"))) {
      String why = "SLUICE_NODE_TOOLS does not name the npm packages (scripts/npm-tools.sh)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the hybrid example must run, not be skipped)");
      }
      assumeTrue(false, why);
    }
    Path log = dir.resolve("run.log");
    ProcessBuilder b =
        new ProcessBuilder("bash", ROOT.resolve("examples/hybrid/run.sh").toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    b.environment().put("SLUICE_HYBRID_RUN_DIR", dir.resolve("run").toString());
    b.environment().put("SLUICE_NO_BUILD", "1"); // the package phase built cli/target/sluice.jar
    Process p = b.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy(); // run.sh's trap stops what it started
      p.waitFor(60, TimeUnit.SECONDS);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("examples/hybrid/run.sh did not end in 5 minutes:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("\"status\":\"completed\"")
        .contains("\"approvedBy\":\"grace\"")
        .contains("\"total\":\"288.80\"")
        .contains("java on price", "functions-framework", "redis stream hybrid.approvals");
    assertThat(Files.readString(dir.resolve("run/result.json"))).contains("\"nodesExecuted\":4");
  }
}

package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.docker.DockerStats;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prewarming with the real docker runtime: a chain of three python functions that each sleep 1 s.
 * With the engine's prewarm hint, the second and third containers start while their predecessor
 * runs, so only the first call waits for a container; without it every call does. Needs the engine
 * DOCKER_HOST names and the images of {@code bin/sluice image build} (built here; idempotent).
 */
@IntegrationTest // needs a Docker engine and starts containers
class DockerPrewarmTest {
  static String chain(String prefix, int n) {
    StringBuilder y =
        new StringBuilder("sluice: \"1.0\"\nname: " + prefix + "-chain\nfunctions:\n");
    for (int i = 1; i <= n; i++) {
      y.append("  ")
          .append(prefix)
          .append(i)
          .append(
              ": {runtime: docker, image: sluice/fn-python:local, codeText: \"import time\\n"
                  + "def main(x):\\n    time.sleep(1)\\n    return x\\n\"}\n");
    }
    y.append("nodes:\n");
    for (int i = 1; i <= n; i++) {
      y.append("  - id: n").append(i).append("\n    type: task\n    function: ");
      y.append(prefix).append(i).append('\n');
      if (i < n) {
        y.append("    next: n").append(i + 1).append('\n');
      }
    }
    return y.toString();
  }

  @BeforeAll
  static void engineAndImages() throws Exception {
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    Process p =
        new ProcessBuilder(root.resolve("images/build.sh").toString(), "python")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    if (p.exitValue() != 0) {
      String why = "no Docker engine or image (" + out.strip() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the Docker tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
  }

  /** What one run of the chain cost: containers, cold waits, and the wall time. */
  record Run(long started, long prewarmed, long coldWaits, long coldWaitMillis, long millis) {}

  static Run run(String prefix, int n, boolean prewarm) throws Exception {
    WorkflowGraph g = new WorkflowLoader().load(prefix + ".yaml", chain(prefix, n));
    long started = DockerStats.containersStarted();
    long prewarmed = DockerStats.prewarmed();
    long waits = DockerStats.coldWaits();
    long waitNanos = DockerStats.coldWaitNanos();
    long t0;
    long t1;
    try (SystemScheduler scheduler = new SystemScheduler(2);
        FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
        WorkflowEngine engine =
            WorkflowEngine.embedded(EngineOptions.of(runtimes).withPrewarm(prewarm))) {
      DeployedWorkflow wf = engine.deploy(g);
      t0 = System.nanoTime();
      String id = engine.start(wf, IntNode.valueOf(1));
      assertThat(engine.completion(id).get(2, TimeUnit.MINUTES).state())
          .isEqualTo(InstanceState.COMPLETED);
      t1 = System.nanoTime();
    }
    return new Run(
        DockerStats.containersStarted() - started,
        DockerStats.prewarmed() - prewarmed,
        DockerStats.coldWaits() - waits,
        (DockerStats.coldWaitNanos() - waitNanos) / 1_000_000,
        (t1 - t0) / 1_000_000);
  }

  @Test
  void successorsContainersStartWhileTheirPredecessorRuns() throws Exception {
    Run with = run("pw" + ProcessHandle.current().pid() + "a", 3, true);
    Run without = run("pw" + ProcessHandle.current().pid() + "b", 3, false);
    // with: one container per function, the two successors' started by the hint; the successors'
    // calls take them (no second container), and the first call is the only one that must wait
    // for a start unless a start took longer than the predecessor's 1 s
    assertThat(with.prewarmed()).isEqualTo(2);
    assertThat(with.started()).isEqualTo(3);
    assertThat(with.coldWaits()).isBetween(1L, 3L);
    // without: every call waits for its container
    assertThat(without.prewarmed()).isZero();
    assertThat(without.started()).isEqualTo(3);
    assertThat(without.coldWaits()).isEqualTo(3);
    // the hint took at least one successor's container start off the critical path (fails only
    // if every container took longer to start than its predecessor's 1 s call)
    assertThat(with.coldWaits()).isLessThan(without.coldWaits());
  }

  /** Not a test: times the chain with and without prewarm, alternately (see docs/runtimes.md). */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    engineAndImages();
    for (int r = 0; r < rounds; r++) {
      for (boolean prewarm : new boolean[] {true, false}) {
        Run x = run("bench" + r + (prewarm ? "on" : "off"), n, prewarm);
        System.out.printf(
            "round %d prewarm=%-5s nodes=%d wall=%d ms cold-waits=%d (%d ms) containers=%d%n",
            r, prewarm, n, x.millis(), x.coldWaits(), x.coldWaitMillis(), x.started());
      }
    }
  }
}

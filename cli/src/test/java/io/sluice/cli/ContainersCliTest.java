package io.sluice.cli;

import static io.sluice.cli.CliTest.CORPUS;
import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.docker.DockerProbe;
import io.sluice.testing.IntegrationTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflows whose functions run in containers, on three workers in this JVM: FaaSFlow's genome with
 * synthetic functions in containers, and the containers example whose code files travel with the
 * definition. Needs a Docker engine (DOCKER_HOST) and builds the images (idempotent); without an
 * engine it is skipped with the reason, and fails under {@code CI=true}.
 */
@IntegrationTest // a Docker engine, containers, and a master and workers over gRPC
class ContainersCliTest {

  @BeforeAll
  static void engineAndImages() throws Exception {
    String why = DockerProbe.problem();
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the Docker tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Process p =
        new ProcessBuilder(ROOT.resolve("images/build.sh").toString(), "python", "java")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("images/build.sh: " + out).isZero();
  }

  private static JsonNode run(String... args) throws Exception {
    var r = sluice(args);
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("completed");
    return j;
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "master"})
  void genomeRunsEveryTaskOnceInAContainerWithTheEmbeddedOutput(String mode) throws Exception {
    String genome = CORPUS.resolve("faasflow/genome/flat_workflow.yaml").toString();
    JsonNode embedded = run("run", genome, "--synthetic", "--time-scale", "0", "--json");
    assertThat(embedded.has("containers")).as("the in-JVM run starts no container").isFalse();
    JsonNode j =
        run(
            "run",
            genome,
            "--synthetic",
            "--synthetic-runtime",
            "docker",
            "--time-scale",
            "0",
            "--workers",
            "3",
            "--mode",
            mode,
            "--json");
    assertThat(j.get("output")).isEqualTo(embedded.get("output"));
    assertThat(j.get("invocations").asLong()).isEqualTo(embedded.get("invocations").asLong());
    assertThat(j.get("containers").get("calls").asLong())
        .as("every task once, in a container")
        .isEqualTo(embedded.get("invocations").asLong());
    // genome's 50 tasks each have a function of their own: one pool, one container per name
    assertThat(j.get("containers").get("started").asLong())
        .isEqualTo(embedded.get("invocations").asLong());
    assertThat(j.get("workersUsed").size()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "master"})
  void codeFilesTravelWithTheDefinitionToTheWorkers(String mode) throws Exception {
    String pipeline = ROOT.resolve("examples/containers/pipeline.yaml").toString();
    JsonNode embedded = run("run", pipeline, "--json");
    JsonNode j = run("run", pipeline, "--workers", "3", "--mode", mode, "--json");
    assertThat(j.get("output")).isEqualTo(embedded.get("output"));
    assertThat(j.get("containers").get("calls").asLong())
        .isEqualTo(embedded.get("invocations").asLong());
  }
}

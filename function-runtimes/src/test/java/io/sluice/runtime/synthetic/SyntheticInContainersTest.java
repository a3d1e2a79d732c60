package io.sluice.runtime.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.docker.DockerProbe;
import io.sluice.runtime.docker.DockerStats;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Synthetic functions with {@code container: docker}: same outputs as in the JVM, in containers.
 */
@IntegrationTest // needs a Docker engine and starts containers
class SyntheticInContainersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void engineAndImage() throws Exception {
    String why = DockerProbe.problem();
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the Docker tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    Process p =
        new ProcessBuilder(root.resolve("images/build.sh").toString(), "python")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("images/build.sh: " + out).isZero();
  }

  private static FunctionDef fn(String name, Object... settings) {
    ObjectNode s = JSON.createObjectNode();
    for (int i = 0; i < settings.length; i += 2) {
      s.set((String) settings[i], JSON.valueToTree(settings[i + 1]));
    }
    return new FunctionDef(name, "synthetic", s, Location.of("test", 1));
  }

  private static JsonNode call(FunctionRuntime rt, FunctionDef f, String node, Hints h, int attempt)
      throws Exception {
    return rt.invoke(new Invocation(f, JSON.nullNode(), Long.MAX_VALUE, "i", node, attempt, h))
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void outputsEqualTheJvmRunsAndEveryCallIsAContainerCall() throws Exception {
    Hints hints = new Hints(Duration.ofMillis(200), 1000, 0, 0);
    try (SystemScheduler scheduler = new SystemScheduler(1);
        FunctionRuntime rt =
            new SyntheticFunctionRuntime(
                new RuntimeOptions(
                    scheduler, 0.5, 0.01, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES))) {
      FunctionDef jvm = fn("step");
      FunctionDef docker = fn("step", "container", "docker");
      rt.validate(docker);
      long calls = DockerStats.calls();
      long started = DockerStats.containersStarted();
      JsonNode expected = call(rt, jvm, "a", hints, 1);
      assertThat(expected.get("payload").asText()).hasSize(10);
      assertThat(call(rt, docker, "a", hints, 1)).isEqualTo(expected);
      long t0 = System.nanoTime();
      assertThat(call(rt, docker, "b", hints, 1))
          .isEqualTo(JSON.readTree("{\"node\":\"b\",\"payload\":\"xxxxxxxxxx\"}"));
      assertThat(System.nanoTime() - t0)
          .as("sleeps 200ms x 0.5 in the container")
          .isGreaterThan(90_000_000L);
      assertThat(call(rt, docker, "c", Hints.NONE, 1)).isEqualTo(JSON.readTree("{\"node\":\"c\"}"));
      assertThat(DockerStats.calls() - calls).isEqualTo(3);
      assertThat(DockerStats.containersStarted() - started).as("one warm pool").isEqualTo(1);
    }
  }

  @Test
  void failAttemptsFailAfterTheContainerCallAndBadSettingsAreNamed() throws Exception {
    try (SystemScheduler scheduler = new SystemScheduler(1);
        FunctionRuntime rt = new SyntheticFunctionRuntime(RuntimeOptions.of(scheduler))) {
      FunctionDef flaky = fn("flaky", "container", "docker", "failAttempts", 1);
      assertThatThrownBy(() -> call(rt, flaky, "n", Hints.NONE, 1))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(FunctionException.class)
          .hasMessageContaining("failed attempt 1 on purpose");
      assertThat(call(rt, flaky, "n", Hints.NONE, 2)).isEqualTo(JSON.readTree("{\"node\":\"n\"}"));
      assertThatThrownBy(() -> rt.validate(fn("x", "container", "podman")))
          .hasMessageContaining("setting 'container' must be jvm (the default) or docker");
      assertThatThrownBy(() -> rt.validate(fn("x", "container", "docker", "image", "no/such:img")))
          .hasMessageContaining("no/such:img");
    }
  }
}

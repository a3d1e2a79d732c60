package io.sluice.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.Eventually;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The docker runtime's footprint: the memory its containers were granted and use, measured. */
@IntegrationTest // needs a Docker engine and starts containers
class DockerFootprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1L << 20;

  /** Keeps {@code grow} MiB in a global, so the container's memory use stays up between calls. */
  static final String GROW =
      "held = []\n"
          + "def main(a):\n"
          + "    held.append(bytearray(a.get('grow', 0) * 1024 * 1024))\n"
          + "    return {'held': sum(len(b) for b in held)}\n";

  private SystemScheduler scheduler;
  private DockerFunctionRuntime runtime;

  @BeforeAll
  static void engineAndImages() throws Exception {
    DockerRuntimeTest.engineAndImages();
  }

  @BeforeEach
  void setUp() {
    scheduler = new SystemScheduler(1);
    runtime = new DockerFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    scheduler.close();
  }

  private void call(FunctionDef f, String input) throws Exception {
    runtime
        .invoke(
            new Invocation(f, JSON.readTree(input), Long.MAX_VALUE, "i", "grow-n", 1, Hints.NONE))
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void footprintReportsTheMemoryGrantedToAndUsedByItsContainers() throws Exception {
    FunctionDef f = DockerRuntimeTest.py("grow", GROW, "memory", "160MiB");
    call(f, "{}");
    runtime.measureMemory();
    Footprint idle = runtime.footprint();
    assertThat(idle.grantedMemoryBytes()).isEqualTo(160 * MIB);
    assertThat(idle.usedMemoryBytes()).isBetween(1L, 60 * MIB);

    call(f, "{\"grow\": 96}");
    runtime.measureMemory();
    Footprint grown = runtime.footprint();
    assertThat(grown.grantedMemoryBytes()).isEqualTo(160 * MIB);
    assertThat(grown.usedMemoryBytes())
        .isGreaterThanOrEqualTo(idle.usedMemoryBytes() + 90 * MIB)
        .isLessThanOrEqualTo(160 * MIB);
  }

  @Test
  void theRuntimeMeasuresOnItsSchedulerWithoutBeingAsked() throws Exception {
    FunctionDef f = DockerRuntimeTest.py("grow", GROW, "memory", "160MiB");
    call(f, "{\"grow\": 64}");
    Eventually.until(
        "the periodic measure to see the 64 MiB",
        () -> runtime.footprint().usedMemoryBytes() >= 64 * MIB);
  }
}

package io.sluice.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.Eventually;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The docker runtime against a real engine (DOCKER_HOST, e.g. from scripts/services.sh) and the
 * images of {@code bin/sluice image build}, which this test runs (it is idempotent). Without an
 * engine the tests are skipped with the reason, and fail under {@code CI=true}.
 */
@IntegrationTest // needs a Docker engine and starts containers
class DockerRuntimeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PY = "sluice/fn-python:local";
  static final String JAVA = "sluice/fn-java:local";

  private SystemScheduler scheduler;
  private DockerFunctionRuntime runtime;

  @BeforeAll
  static void engineAndImages() throws Exception {
    String host = DockerEngine.defaultHost();
    try (DockerEngine e = new DockerEngine(host)) {
      e.ping();
    } catch (RuntimeException e) {
      String why =
          "no Docker engine answers at "
              + host
              + " ("
              + e.getMessage()
              + "); start one with `eval \"$(scripts/services.sh start DIR)\"`";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " (CI=true: the Docker tests must run, not be skipped)");
      }
      Assumptions.abort(why);
    }
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    Process p =
        new ProcessBuilder(root.resolve("images/build.sh").toString(), "python", "java")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("images/build.sh: " + out).isZero();
  }

  @BeforeEach
  void setUp() {
    scheduler = new SystemScheduler(1);
    runtime = new DockerFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  @AfterEach
  void tearDown() {
    Map<String, String> mine =
        Map.of(DockerEngine.OWNER, runtime.ownerLabels().get(DockerEngine.OWNER));
    runtime.close();
    scheduler.close();
    try (DockerEngine e = new DockerEngine(DockerEngine.defaultHost())) {
      assertThat(e.labelled(mine)).as("containers left after close").isEmpty();
    }
  }

  static FunctionDef py(String name, String code, Object... settings) {
    ObjectNode s = JSON.createObjectNode().put("image", PY).put("codeText", code);
    for (int i = 0; i < settings.length; i += 2) {
      s.set((String) settings[i], JSON.valueToTree(settings[i + 1]));
    }
    return new FunctionDef(name, "docker", s, Location.of("test", 1));
  }

  static final String DOUBLE =
      "import time\n"
          + "def main(a):\n"
          + "    time.sleep(a.get('sleep', 0))\n"
          + "    return {'n': a.get('n', 0) * 2}\n";

  private CompletableFuture<JsonNode> call(FunctionDef f, String input) throws Exception {
    return runtime
        .invoke(
            new Invocation(f, JSON.readTree(input), Long.MAX_VALUE, "i", "node-d", 1, Hints.NONE))
        .toCompletableFuture();
  }

  private FunctionException failure(FunctionDef f, String input) throws Exception {
    try {
      call(f, input).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return FunctionException.of(e);
    }
    throw new AssertionError("the call did not fail");
  }

  private ContainerPool pool() {
    assertThat(runtime.pools()).hasSize(1);
    return runtime.pools().get(0);
  }

  private int labelledFor(String function) {
    try (DockerEngine e = new DockerEngine(DockerEngine.defaultHost())) {
      return e.labelled(
              Map.of(
                  DockerEngine.OWNER,
                  runtime.ownerLabels().get(DockerEngine.OWNER),
                  DockerEngine.FUNCTION,
                  function))
          .size();
    }
  }

  static final String CONFINED =
      "import os\n"
          + "def main(a):\n"
          + "    st = dict(l.split(':', 1) for l in open('/proc/self/status') if ':' in l)\n"
          + "    try:\n"
          + "        open('/sluice-root-write', 'w').write('x')\n"
          + "        root = 'written'\n"
          + "    except OSError as e:\n"
          + "        root = type(e).__name__ + ' ' + str(e.errno)\n"
          + "    open('/tmp/ok', 'w').write('x')\n"
          + "    return {'capEff': st['CapEff'].strip(), 'noNewPrivs': st['NoNewPrivs'].strip(),\n"
          + "            'root': root, 'tmp': os.path.exists('/tmp/ok')}\n";

  private com.github.dockerjava.api.model.HostConfig hostConfigOf(String function) {
    try (DockerEngine e = new DockerEngine(DockerEngine.defaultHost())) {
      var cs =
          e.labelled(
              Map.of(
                  DockerEngine.OWNER,
                  runtime.ownerLabels().get(DockerEngine.OWNER),
                  DockerEngine.FUNCTION,
                  function));
      assertThat(cs).hasSize(1);
      return e.hostConfig(cs.get(0).getId());
    }
  }

  @Test
  void containersRunConfinedWithLimitsAlwaysSet() throws Exception {
    JsonNode out = call(py("confined", CONFINED), "{}").get(60, TimeUnit.SECONDS);
    System.out.println("inside a default container: " + out);
    assertThat(out.path("capEff").asText()).matches("0+");
    assertThat(out.path("noNewPrivs").asText()).isEqualTo("1");
    assertThat(out.path("root").asText()).isEqualTo("OSError 30"); // EROFS
    assertThat(out.path("tmp").asBoolean()).isTrue();
    var hc = hostConfigOf("confined");
    System.out.println(
        "docker inspect: CapDrop="
            + java.util.Arrays.toString(hc.getCapDrop())
            + " SecurityOpt="
            + hc.getSecurityOpts()
            + " ReadonlyRootfs="
            + hc.getReadonlyRootfs()
            + " Tmpfs="
            + hc.getTmpFs()
            + " Memory="
            + hc.getMemory()
            + " NanoCpus="
            + hc.getNanoCPUs()
            + " PidsLimit="
            + hc.getPidsLimit()
            + " Privileged="
            + hc.getPrivileged()
            + " NetworkMode="
            + hc.getNetworkMode());
    assertThat(hc.getCapDrop()).containsExactly(com.github.dockerjava.api.model.Capability.ALL);
    assertThat(hc.getSecurityOpts()).containsExactly("no-new-privileges");
    assertThat(hc.getReadonlyRootfs()).isTrue();
    assertThat(hc.getTmpFs()).containsEntry("/tmp", DockerEngine.TMP_OPTIONS);
    assertThat(hc.getMemory()).isEqualTo(DockerSpec.DEFAULT_MEMORY);
    assertThat(hc.getNanoCPUs()).isEqualTo(1_000_000_000L);
    assertThat(hc.getPidsLimit()).isEqualTo(DockerSpec.DEFAULT_PIDS);
    assertThat(hc.getPrivileged()).isFalse();
  }

  @Test
  void aFunctionMayOptOutOfTheReadOnlyRootAndSetItsOwnLimits() throws Exception {
    JsonNode out =
        call(
                py(
                    "writable",
                    CONFINED,
                    "readOnlyRoot",
                    false,
                    "pids",
                    64,
                    "memory",
                    "96MiB",
                    "cpus",
                    0.5),
                "{}")
            .get(60, TimeUnit.SECONDS);
    assertThat(out.path("root").asText()).isNotEqualTo("OSError 30");
    assertThat(out.path("capEff").asText()).matches("0+");
    var hc = hostConfigOf("writable");
    assertThat(hc.getReadonlyRootfs()).isNotEqualTo(Boolean.TRUE);
    assertThat(hc.getPidsLimit()).isEqualTo(64L);
    assertThat(hc.getMemory()).isEqualTo(96L * 1024 * 1024);
    assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
  }

  @Test
  void aColdCallStartsAContainerAndAWarmCallReusesIt() throws Exception {
    FunctionDef f = py("double", DOUBLE);
    runtime.validate(f);
    long t0 = System.nanoTime();
    assertThat(call(f, "{\"n\": 21}").get(60, TimeUnit.SECONDS).get("n").asInt()).isEqualTo(42);
    long cold = System.nanoTime() - t0;
    long t1 = System.nanoTime();
    assertThat(call(f, "{\"n\": 5}").get(60, TimeUnit.SECONDS).get("n").asInt()).isEqualTo(10);
    long warm = System.nanoTime() - t1;
    System.out.printf(
        "docker python: cold call %.1f ms, warm call %.1f ms%n", cold / 1e6, warm / 1e6);
    assertThat(pool().started()).isEqualTo(1);
    assertThat(labelledFor("double")).isEqualTo(1);
    assertThat(warm).isLessThan(cold);
  }

  @Test
  void aJavaFunctionRunsInTheJavaImage() throws Exception {
    String code =
        "import com.fasterxml.jackson.databind.JsonNode;\n"
            + "import com.fasterxml.jackson.databind.node.JsonNodeFactory;\n"
            + "public class Upper {\n"
            + "  public static JsonNode main(JsonNode in) {\n"
            + "    return JsonNodeFactory.instance.objectNode().put(\"s\", in.path(\"s\").asText().toUpperCase());\n"
            + "  }\n"
            + "}\n";
    ObjectNode s =
        JSON.createObjectNode().put("image", JAVA).put("codeText", code).put("memory", "256MB");
    FunctionDef f = new FunctionDef("upper", "docker", s, Location.of("test", 1));
    long t0 = System.nanoTime();
    assertThat(call(f, "{\"s\": \"abc\"}").get(60, TimeUnit.SECONDS).get("s").asText())
        .isEqualTo("ABC");
    long cold = System.nanoTime() - t0;
    long t1 = System.nanoTime();
    assertThat(call(f, "{\"s\": \"x\"}").get(60, TimeUnit.SECONDS).get("s").asText())
        .isEqualTo("X");
    System.out.printf(
        "docker java: cold call %.1f ms, warm call %.1f ms%n",
        cold / 1e6, (System.nanoTime() - t1) / 1e6);
  }

  @Test
  void concurrentCallsGrowThePoolUpToItsMaximum() throws Exception {
    FunctionDef f = py("slow", DOUBLE, "maxContainers", 3);
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(call(f, "{\"n\": " + i + ", \"sleep\": 0.5}"));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(calls.get(i).get(60, TimeUnit.SECONDS).get("n").asInt()).isEqualTo(2 * i);
    }
    assertThat(pool().started()).isEqualTo(3);
    assertThat(pool().size()).isEqualTo(3);
  }

  @Test
  void idleContainersExpireAfterKeepAliveButPrewarmedOnesStay() throws Exception {
    FunctionDef f = py("brief", DOUBLE, "keepAlive", "300ms", "maxContainers", 2, "prewarm", 1);
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(call(f, "{\"n\": 1, \"sleep\": 0.3}"));
    }
    for (CompletableFuture<JsonNode> c : calls) {
      c.get(60, TimeUnit.SECONDS);
    }
    assertThat(pool().started()).isEqualTo(2);
    Eventually.until("the idle container beyond prewarm to expire", () -> pool().size() == 1);
    Eventually.until("its container to be removed", () -> labelledFor("brief") == 1);
  }

  @Test
  void outOfMemoryFailsTheCallNamingTheLimitAndTheContainerIsReplaced() throws Exception {
    FunctionDef f =
        py(
            "hog",
            "def main(a):\n    if a.get('hog'):\n        b = bytearray(512 * 1024 * 1024)\n    return {'ok': True}\n",
            "memory",
            "48MB");
    FunctionException e = failure(f, "{\"hog\": true}");
    assertThat(e.type()).isEqualTo(FunctionException.OUT_OF_MEMORY);
    assertThat(e.getMessage()).contains("'hog'", "node-d", "48MB");
    assertThat(call(f, "{}").get(60, TimeUnit.SECONDS).get("ok").asBoolean()).isTrue();
    assertThat(pool().started()).isEqualTo(2);
  }

  @Test
  void aContainerThatExitsFailsTheCallWithItsLogTail() throws Exception {
    FunctionDef f =
        py(
            "quitter",
            "import os, sys\ndef main(a):\n    if a.get('quit'):\n        print('going away now', flush=True)\n        os._exit(3)\n    return {'ok': True}\n");
    FunctionException e = failure(f, "{\"quit\": true}");
    assertThat(e.type()).isEqualTo(FunctionException.CONTAINER_EXITED);
    assertThat(e.getMessage()).contains("exited with code 3", "going away now");
    assertThat(call(f, "{}").get(60, TimeUnit.SECONDS).get("ok").asBoolean()).isTrue();
    assertThat(pool().started()).isEqualTo(2);
  }

  @Test
  void aTimeoutStopsTheContainerAndTheNextCallGetsANewOne() throws Exception {
    FunctionDef f = py("sleepy", DOUBLE, "timeout", "5s");
    runtime.validate(f);
    call(f, "{}").get(60, TimeUnit.SECONDS); // warm, so the timeout is the call's
    FunctionException e = failure(f, "{\"sleep\": 30}");
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    Eventually.until("the timed-out container to be removed", () -> labelledFor("sleepy") == 0);
    assertThat(call(f, "{\"n\": 2}").get(60, TimeUnit.SECONDS).get("n").asInt()).isEqualTo(4);
    assertThat(pool().started()).isEqualTo(2);
  }

  @Test
  void codeThatDoesNotLoadFailsWithoutRetry() throws Exception {
    FunctionException e = failure(py("broken", "def main(a) return 1\n"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("'broken'", "/init");
  }

  @Test
  void prewarmOfCodeThatDoesNotLoadStopsAfterFiveStartsAndACallStillGetsTheError()
      throws Exception {
    FunctionDef f = py("stubborn", "def main(a) return 1\n", "prewarm", 1);
    runtime.warmUp(f);
    Eventually.until(
        "five failed starts, backing off", () -> pool().startFailures() == 5 && pool().size() == 0);
    FunctionException e = failure(f, "{}"); // starts a sixth once the 3.2 s pause is over
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.getMessage()).contains("'stubborn'", PY, "/init");
    Eventually.until("the sixth failure", () -> pool().startFailures() == 6);
    assertThat(pool().started()).as("no start beyond the call's").isEqualTo(6);
    Eventually.until("the failed containers to be removed", () -> labelledFor("stubborn") == 0);
  }

  @Test
  void anErrorRaisedByTheFunctionIsAFunctionFailure() throws Exception {
    FunctionException e =
        failure(py("raiser", "def main(a):\n    raise ValueError('no such order')\n"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(e.getMessage()).contains("ValueError: no such order");
  }

  @Test
  void anUnknownImageIsReportedAtValidationNamingFunctionAndImage() {
    ObjectNode s = JSON.createObjectNode().put("image", "sluice/no-such-image:local");
    FunctionDef f = new FunctionDef("ghost", "docker", s, Location.of("wf.yaml", 7));
    assertThatThrownBy(() -> runtime.validate(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ghost'")
        .hasMessageContaining("sluice/no-such-image:local")
        .hasMessageContaining("bin/sluice image build");
    try (FunctionRuntimes all = FunctionRuntimes.load(RuntimeOptions.of(scheduler))) {
      assertThat(all.check(f))
          .singleElement()
          .asString()
          .contains("wf.yaml:7", "sluice/no-such-image:local");
    }
  }

  @Test
  void anUnreachableEngineIsNamed() {
    try (DockerFunctionRuntime r =
        new DockerFunctionRuntime(
            RuntimeOptions.of(scheduler), "unix:///tmp/no-such-docker.sock")) {
      assertThatThrownBy(() -> r.validate(py("any", DOUBLE)))
          .hasMessageContaining("unix:///tmp/no-such-docker.sock")
          .hasMessageContaining("cannot be reached");
    }
  }

  @Test
  void closeRemovesEveryContainerItStarted() throws Exception {
    FunctionDef f = py("warm", DOUBLE, "prewarm", 2);
    runtime.validate(f); // starts the prewarmed containers
    Eventually.until("two prewarmed containers", () -> labelledFor("warm") == 2);
    call(f, "{}").get(60, TimeUnit.SECONDS);
    assertThat(pool().started()).isEqualTo(2);
    // tearDown closes the runtime and checks that no container of this owner is left
  }
}

package io.sluice.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.Eventually;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest // starts OS processes and kills process trees
class ProcessRuntimeTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final FunctionRuntime runtime =
      new ProcessRuntimeProvider().create(RuntimeOptions.of(scheduler));

  @TempDir Path dir;

  @AfterEach
  void close() {
    runtime.close();
    scheduler.close();
  }

  private static FunctionDef shell(String command) {
    return fn(JSON.objectNode().put("command", command));
  }

  private static FunctionDef fn(ObjectNode settings) {
    return new FunctionDef("tool", "process", settings, null);
  }

  private CompletableFuture<JsonNode> invoke(FunctionDef f, JsonNode input, long deadline) {
    return runtime
        .invoke(new Invocation(f, input, deadline, "i", "node-p", 1, Hints.NONE))
        .toCompletableFuture();
  }

  private CompletableFuture<JsonNode> invoke(FunctionDef f, JsonNode input) {
    return invoke(f, input, Long.MAX_VALUE);
  }

  private static JsonNode output(CompletableFuture<JsonNode> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static FunctionException failure(CompletableFuture<JsonNode> f) throws Exception {
    try {
      JsonNode out = f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + out);
    } catch (ExecutionException e) {
      return (FunctionException) e.getCause();
    }
  }

  /** Gone, or a zombie waiting for init to reap it (killed all the same). */
  private static boolean dead(long pid) {
    if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
      return true;
    }
    String stat = readQuietly(Path.of("/proc/" + pid + "/stat"));
    int afterName = stat.lastIndexOf(')');
    return afterName > 0 && stat.startsWith(" Z", afterName + 1);
  }

  private long pidIn(Path file) throws IOException {
    Eventually.until(
        "the pid file " + file, () -> Files.exists(file) && readQuietly(file).endsWith("\n"));
    return Long.parseLong(Files.readString(file).strip());
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void commandListRunsWithoutAShell() throws Exception {
    ObjectNode settings = JSON.objectNode();
    settings.putArray("command").add("printf").add("{\"args\": \"%s\"}").add("$HOME not expanded");
    assertThat(output(invoke(fn(settings), JSON.nullNode())).get("args").asText())
        .isEqualTo("$HOME not expanded");
  }

  @Test
  void nonZeroExitIsARetryableFailureWithTheExitCodeAndStderrTail() throws Exception {
    FunctionException e =
        failure(invoke(shell("echo 'first line' >&2; echo 'disk is full' >&2; exit 3"), null));
    assertThat(e.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("code 3").contains("disk is full").contains("node-p");
  }

  @Test
  void onlyTheLastFourKilobytesOfStderrAreKept() throws Exception {
    FunctionException e =
        failure(
            invoke(shell("head -c 100000 /dev/zero | tr '\\0' a >&2; echo END >&2; exit 1"), null));
    assertThat(e.getMessage()).contains("END").hasSizeLessThan(5000);
  }

  @Test
  void stderrIsTheCallsLogKeepingItsLast64KilobytesWhetherTheCallSucceedsOrFails()
      throws Exception {
    io.sluice.runtime.CallTime ok = new io.sluice.runtime.CallTime();
    FunctionDef f = shell("echo 'warming up' >&2; echo 'done' >&2; echo 42");
    assertThat(output(call(f, ok)).asInt()).isEqualTo(42);
    assertThat(ok.log())
        .isEqualTo(new io.sluice.runtime.CallTime.Log("stderr", "warming up\ndone\n", false));

    io.sluice.runtime.CallTime failed = new io.sluice.runtime.CallTime();
    failure(call(shell("head -c 100000 /dev/zero | tr '\\0' a >&2; echo END >&2; exit 1"), failed));
    assertThat(failed.log().truncated()).isTrue();
    assertThat(failed.log().text()).hasSize(64 * 1024).endsWith("aaaEND\n");

    io.sluice.runtime.CallTime quiet = new io.sluice.runtime.CallTime();
    output(call(shell("echo 1"), quiet));
    assertThat(quiet.log()).isNull();
  }

  private CompletableFuture<JsonNode> call(FunctionDef f, io.sluice.runtime.CallTime time) {
    return runtime
        .invoke(new Invocation(f, null, Long.MAX_VALUE, "i", "node-p", 1, Hints.NONE, time))
        .toCompletableFuture();
  }

  @Test
  void stdoutThatIsNotOneJsonValueIsBadOutput() throws Exception {
    for (String command : new String[] {"echo 'hello there'", "echo '{} {}'", "true"}) {
      FunctionException e = failure(invoke(shell(command), null));
      assertThat(e.type()).as(command).isEqualTo(FunctionException.BAD_OUTPUT);
      assertThat(e.retryable()).isFalse();
    }
    assertThat(failure(invoke(shell("echo 'hello there'"), null)).getMessage())
        .contains("hello there");
  }

  @Test
  void outputOverTheLimitIsBadOutputAndStopsTheProcess() throws Exception {
    ObjectNode settings = JSON.objectNode().put("command", "yes").put("maxOutputBytes", 10_000);
    FunctionException e = failure(invoke(fn(settings), null));
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.getMessage()).contains("10000");
  }

  @Test
  void missingCommandIsABadConfiguration() throws Exception {
    FunctionException viaShell = failure(invoke(shell("no-such-sluice-command --flag"), null));
    assertThat(viaShell.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(viaShell.retryable()).isFalse();
    assertThat(viaShell.getMessage()).contains("not found");

    ObjectNode list = JSON.objectNode();
    list.putArray("command").add("no-such-sluice-command");
    assertThat(failure(invoke(fn(list), null)).type())
        .isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThatThrownBy(() -> runtime.validate(fn(list)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-sluice-command");
    assertThatThrownBy(() -> runtime.validate(fn(JSON.objectNode())))
        .hasMessageContaining("'command'");
  }

  @Test
  void workingDirAndEnvironmentAreApplied() throws Exception {
    ObjectNode settings =
        JSON.objectNode()
            .put("command", "printf '{\"dir\": \"%s\", \"v\": \"%s\"}' \"$(pwd -P)\" \"$SLUICE_V\"")
            .put("workingDir", dir.toString());
    settings.putObject("env").put("SLUICE_V", 42);
    JsonNode out = output(invoke(fn(settings), null));
    assertThat(out.get("dir").asText()).isEqualTo(dir.toRealPath().toString());
    assertThat(out.get("v").asText()).isEqualTo("42");
  }

  @Test
  void theProcessSeesTheCallsKeysInItsEnvironmentOverTheEnvSetting() throws Exception {
    ObjectNode settings =
        JSON.objectNode()
            .put(
                "command",
                "printf '{\"k\": \"%s\", \"s\": \"%s\", \"i\": \"%s\", \"n\": \"%s\","
                    + " \"a\": \"%s\"}' \"$SLUICE_IDEMPOTENCY_KEY\" \"$SLUICE_STEP_KEY\""
                    + " \"$SLUICE_INSTANCE_ID\" \"$SLUICE_NODE_ID\" \"$SLUICE_ATTEMPT\"");
    settings.putObject("env").put("SLUICE_IDEMPOTENCY_KEY", "mine");
    io.sluice.runtime.CallKey key =
        io.sluice.runtime.CallKey.of(
            "i", java.util.List.of(new io.sluice.runtime.CallKey.Enclosing("loop", 3, 1)), "p", 2);
    JsonNode out =
        output(
            runtime
                .invoke(
                    new Invocation(
                        fn(settings),
                        null,
                        Long.MAX_VALUE,
                        "i.loop.3",
                        "p",
                        2,
                        Hints.NONE,
                        null,
                        key))
                .toCompletableFuture());
    assertThat(out.get("k").asText()).isEqualTo("i/loop@1[3]/p@2");
    assertThat(out.get("s").asText()).isEqualTo("i/loop[3]/p");
    assertThat(out.get("i").asText()).isEqualTo("i.loop.3");
    assertThat(out.get("n").asText()).isEqualTo("p");
    assertThat(out.get("a").asText()).isEqualTo("2");
  }

  @Test
  void missingWorkingDirIsABadConfiguration() throws Exception {
    ObjectNode settings =
        JSON.objectNode().put("command", "cat").put("workingDir", dir.resolve("gone").toString());
    assertThat(failure(invoke(fn(settings), null)).type())
        .isEqualTo(FunctionException.BAD_CONFIGURATION);
  }

  @Test
  void largeInputAndOutputDoNotDeadlock() throws Exception {
    String big = "z".repeat(2_000_000);
    JsonNode input = JSON.objectNode().put("big", big);
    assertThat(output(invoke(shell("cat"), input))).isEqualTo(input);
  }

  @Test
  void timeoutKillsTheProcessAndItsDescendants() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    FunctionDef f = shell("sleep 120 & echo $! > '" + pidFile + "'; wait");
    long deadline = scheduler.nanoTime() + Duration.ofMillis(500).toNanos();
    CompletableFuture<JsonNode> result = invoke(f, null, deadline);
    long child = pidIn(pidFile);
    FunctionException e = failure(result);
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    Eventually.until("the child process " + child + " to be killed", () -> dead(child));
  }

  @Test
  void timeoutSettingBoundsAnAttemptWithoutADeadline() throws Exception {
    ObjectNode settings = JSON.objectNode().put("command", "sleep 120").put("timeout", "200ms");
    assertThat(failure(invoke(fn(settings), null)).type()).isEqualTo(FunctionException.TIMEOUT);
  }

  @Test
  void closeKillsEveryLiveProcess() throws Exception {
    Path pidFile = dir.resolve("close.pid");
    CompletableFuture<JsonNode> result =
        invoke(shell("sleep 120 & echo $! > '" + pidFile + "'; wait"), null);
    long child = pidIn(pidFile);
    runtime.close();
    assertThat(failure(result).getMessage()).contains("closed");
    Eventually.until("the child process " + child + " to be killed", () -> dead(child));
  }

  @Test
  void cancellingTheResultKillsTheProcess() throws Exception {
    Path pidFile = dir.resolve("cancel.pid");
    CompletableFuture<JsonNode> result =
        invoke(shell("sleep 120 & echo $! > '" + pidFile + "'; wait"), null);
    long child = pidIn(pidFile);
    result.cancel(true);
    Eventually.until("the child process " + child + " to be killed", () -> dead(child));
  }
}

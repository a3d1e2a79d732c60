package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FunctionRuntime} must do, run against each implementation with real time
 * ({@link SystemScheduler}). Subclasses say which functions succeed, fail, run long and are
 * misconfigured on their runtime.
 */
public abstract class FunctionRuntimeContract {
  /** How long a test waits for a result before calling it lost (never a timing assertion). */
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  protected static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  protected SystemScheduler scheduler;
  protected FunctionRuntime runtime;

  protected abstract FunctionRuntime create(RuntimeOptions options);

  /** A function that succeeds; its output is {@link #expectedOutput}. */
  protected abstract FunctionDef succeeding();

  protected abstract JsonNode expectedOutput(JsonNode input, String nodeId);

  /** A function whose attempts fail with {@link FunctionException#FUNCTION_FAILED}. */
  protected abstract FunctionDef failing();

  /** A function that runs for a long time (a minute or more) unless stopped. */
  protected abstract FunctionDef slow();

  /** A function whose settings its runtime rejects. */
  protected abstract FunctionDef misconfigured();

  @BeforeEach
  void startRuntime() {
    scheduler = new SystemScheduler(2);
    runtime = create(RuntimeOptions.of(scheduler));
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
    scheduler.close();
  }

  protected Invocation call(FunctionDef f, JsonNode input, String nodeId, long deadlineNanos) {
    return new Invocation(f, input, deadlineNanos, "instance-1", nodeId, 1, Hints.NONE);
  }

  protected Invocation call(FunctionDef f, JsonNode input) {
    return call(f, input, "node-a", Long.MAX_VALUE);
  }

  protected long inFromNow(Duration d) {
    return scheduler.nanoTime() + d.toNanos();
  }

  protected static JsonNode output(CompletionStage<JsonNode> stage) {
    try {
      return stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected an output, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no output: " + e, e);
    }
  }

  protected static FunctionException failure(CompletionStage<?> stage) {
    try {
      Object out = stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      return fail("expected a failure, got output " + out);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FunctionException.class);
      return (FunctionException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no result: " + e, e);
    }
  }

  @Test
  void successReturnsTheOutput() {
    JsonNode input = JSON.objectNode().put("x", 1).put("text", "héllo \"world\"");
    assertThat(output(runtime.invoke(call(succeeding(), input))))
        .isEqualTo(expectedOutput(input, "node-a"));
  }

  @Test
  void failureCarriesItsTypeAndIsRetryable() {
    FunctionException e = failure(runtime.invoke(call(failing(), JSON.objectNode())));
    assertThat(e.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isNotBlank();
  }

  @Test
  void misconfiguredFunctionFailsForGood() {
    FunctionException e = failure(runtime.invoke(call(misconfigured(), JSON.objectNode())));
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains(misconfigured().name());
  }

  @Test
  void validateRejectsMisconfiguredAndAcceptsGoodFunctions() {
    runtime.validate(succeeding());
    assertThatThrownBy(() -> runtime.validate(misconfigured()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(misconfigured().name());
  }

  @Test
  void attemptPastItsDeadlineFailsWithTimeout() {
    Invocation inv =
        call(slow(), JSON.objectNode(), "node-slow", inFromNow(Duration.ofMillis(300)));
    FunctionException e = failure(runtime.invoke(inv));
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("node-slow");
  }

  @Test
  void fiftyParallelInvocationsEachGetTheirOwnOutput() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<CompletionStage<JsonNode>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        JsonNode input = JSON.objectNode().put("i", i);
        String node = "node-" + i;
        calls.add(
            callers.submit(
                () -> {
                  go.await();
                  return runtime.invoke(call(succeeding(), input, node, Long.MAX_VALUE));
                }));
      }
      go.countDown();
      for (int i = 0; i < 50; i++) {
        JsonNode input = JSON.objectNode().put("i", i);
        CompletionStage<JsonNode> stage = calls.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(output(stage)).isEqualTo(expectedOutput(input, "node-" + i));
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void closeFailsRunningInvocationsAndRefusesNewOnes() {
    CompletableFuture<JsonNode> running =
        runtime.invoke(call(slow(), JSON.objectNode())).toCompletableFuture();
    assertThat(running).isNotDone();
    runtime.close();
    FunctionException e = failure(running);
    assertThat(e.getMessage()).contains("closed");

    FunctionException after = failure(runtime.invoke(call(succeeding(), JSON.objectNode())));
    assertThat(after.retryable()).isFalse();
    assertThat(after.getMessage()).contains("closed");
  }

  @Test
  void footprintCountsRunningInvocations() {
    CompletableFuture<JsonNode> running =
        runtime.invoke(call(slow(), JSON.objectNode())).toCompletableFuture();
    assertThat(runtime.footprint().busySlots()).isEqualTo(1);
    running.cancel(true);
    assertThat(runtime.footprint().busySlots()).isZero();
  }
}

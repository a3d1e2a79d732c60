package io.sluice.runtime.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Synthetic behaviour on a manual clock: time moves only when the test says. */
class SyntheticRuntimeTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final ManualScheduler clock = new ManualScheduler();

  private FunctionRuntime runtime(double timeScale, double dataScale, long maxOutputBytes) {
    return new SyntheticRuntimeProvider()
        .create(new RuntimeOptions(clock, timeScale, dataScale, maxOutputBytes));
  }

  private final FunctionRuntime runtime = runtime(1, 1, 1_000_000);

  private static FunctionDef fn(ObjectNode settings) {
    return new FunctionDef("synth", "synthetic", settings, null);
  }

  private static final FunctionDef PLAIN = fn(null);

  private static Hints hints(long computeMs, long outputBytes) {
    return Hints.NONE.withComputeTime(Duration.ofMillis(computeMs)).withOutputBytes(outputBytes);
  }

  private static Invocation call(FunctionDef f, Hints hints, int attempt, long deadline) {
    return new Invocation(f, JSON.objectNode(), deadline, "inst", "node-7", attempt, hints);
  }

  private static CompletableFuture<JsonNode> invoke(FunctionRuntime r, Invocation inv) {
    return r.invoke(inv).toCompletableFuture();
  }

  private CompletableFuture<JsonNode> invoke(FunctionDef f, Hints hints) {
    return invoke(runtime, call(f, hints, 1, Long.MAX_VALUE));
  }

  private static FunctionException failure(CompletableFuture<JsonNode> f) {
    assertThat(f).isCompletedExceptionally();
    return FunctionException.of(f.handle((r, e) -> e).join());
  }

  @Test
  void zeroSleepCompletesBeforeInvokeReturns() {
    CompletableFuture<JsonNode> out = invoke(PLAIN, Hints.NONE);
    assertThat(out).isCompletedWithValue(JSON.objectNode().put("node", "node-7"));
    assertThat(clock.pending()).isZero();
  }

  @Test
  void sleepsTheHintedComputeTimeTimesTheTimeScale() {
    CompletableFuture<JsonNode> out =
        invoke(runtime(2, 1, 100), call(PLAIN, hints(100, 0), 1, Long.MAX_VALUE));
    clock.advance(Duration.ofMillis(199));
    assertThat(out).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(out).isCompletedWithValue(JSON.objectNode().put("node", "node-7"));
  }

  @Test
  void computeMsSettingOverridesTheHint() {
    CompletableFuture<JsonNode> out =
        invoke(fn(JSON.objectNode().put("computeMs", 2.5)), hints(1000, 0));
    clock.advance(Duration.ofMillis(2));
    assertThat(out).isNotDone();
    clock.advance(Duration.ofNanos(500_000));
    assertThat(out).isDone();
  }

  @Test
  void timeScaleZeroMeansNoSleep() {
    assertThat(invoke(runtime(0, 1, 100), call(PLAIN, hints(5000, 0), 1, Long.MAX_VALUE))).isDone();
  }

  @Test
  void payloadIsOutputBytesTimesDataScale() {
    JsonNode out = invoke(runtime(1, 3, 1000), call(PLAIN, hints(0, 10), 1, Long.MAX_VALUE)).join();
    assertThat(out.get("payload").asText()).hasSize(30).matches("x+");
    assertThat(out.get("node").asText()).isEqualTo("node-7");

    JsonNode set = invoke(fn(JSON.objectNode().put("outputBytes", 7)), hints(0, 10)).join();
    assertThat(set.get("payload").asText()).hasSize(7);

    JsonNode none =
        invoke(runtime(1, 0, 1000), call(PLAIN, hints(0, 10), 1, Long.MAX_VALUE)).join();
    assertThat(none.has("payload")).isFalse();
  }

  @Test
  void outputOverTheLimitIsBadOutputNamingNodeAndSizes() {
    FunctionException e =
        failure(invoke(runtime(1, 2, 100), call(PLAIN, hints(0, 51), 1, Long.MAX_VALUE)));
    assertThat(e.type()).isEqualTo(FunctionException.BAD_OUTPUT);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("node-7").contains("102").contains("100");
  }

  @Test
  void failAttemptsFailsTheFirstAttemptsThenSucceeds() {
    FunctionDef flaky = fn(JSON.objectNode().put("failAttempts", 2));
    for (int attempt = 1; attempt <= 2; attempt++) {
      FunctionException e =
          failure(invoke(runtime, call(flaky, Hints.NONE, attempt, Long.MAX_VALUE)));
      assertThat(e.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("attempt " + attempt);
    }
    assertThat(invoke(runtime, call(flaky, Hints.NONE, 3, Long.MAX_VALUE))).isCompleted();
  }

  @Test
  void failTypeAndRetryableAreSettings() {
    FunctionDef f =
        fn(
            JSON.objectNode()
                .put("failAttempts", 1)
                .put("failType", "OutOfStock")
                .put("failRetryable", false));
    FunctionException e = failure(invoke(f, Hints.NONE));
    assertThat(e.type()).isEqualTo("OutOfStock");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void failingAttemptStillTakesItsComputeTime() {
    CompletableFuture<JsonNode> out =
        invoke(fn(JSON.objectNode().put("failAttempts", 1)), hints(10, 0));
    assertThat(out).isNotDone();
    clock.advance(Duration.ofMillis(10));
    assertThat(failure(out).type()).isEqualTo(FunctionException.FUNCTION_FAILED);
  }

  @Test
  void deadlineBeforeTheSleepEndsFailsWithTimeoutAtTheDeadline() {
    CompletableFuture<JsonNode> out =
        invoke(
            runtime,
            call(PLAIN, hints(100, 0), 1, clock.nanoTime() + Duration.ofMillis(40).toNanos()));
    clock.advance(Duration.ofMillis(39));
    assertThat(out).isNotDone();
    clock.advance(Duration.ofMillis(1));
    FunctionException e = failure(out);
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(clock.pending()).isZero();
  }

  @Test
  void deadlineAfterTheSleepDoesNotInterfere() {
    CompletableFuture<JsonNode> out =
        invoke(
            runtime,
            call(PLAIN, hints(10, 0), 1, clock.nanoTime() + Duration.ofMillis(40).toNanos()));
    clock.advance(Duration.ofMillis(10));
    assertThat(out).isCompleted();
    assertThat(clock.pending()).isZero();
  }

  @Test
  void zeroSleepPastItsDeadlineTimesOut() {
    clock.advance(Duration.ofSeconds(1));
    CompletableFuture<JsonNode> out = invoke(runtime, call(PLAIN, Hints.NONE, 1, 1));
    assertThat(failure(out).type()).isEqualTo(FunctionException.TIMEOUT);
  }

  @Test
  void timeoutSettingTightensTheDeadline() {
    CompletableFuture<JsonNode> out =
        invoke(fn(JSON.objectNode().put("timeout", "20ms")), hints(100, 0));
    clock.advance(Duration.ofMillis(20));
    assertThat(failure(out).type()).isEqualTo(FunctionException.TIMEOUT);
  }

  @Test
  void badSettingsAreBadConfiguration() {
    FunctionException e =
        failure(invoke(fn(JSON.objectNode().put("outputBytes", "lots")), Hints.NONE));
    assertThat(e.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(e.getMessage()).contains("outputBytes");
  }

  @Test
  void closeFailsSleepingInvocationsAndCancelsTheirTimers() {
    CompletableFuture<JsonNode> out = invoke(PLAIN, hints(100, 0));
    runtime.close();
    assertThat(failure(out).getMessage()).contains("closed");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void repeatedSizesShareOnePayloadString() {
    FunctionRuntime r = runtime(1, 1, 1000);
    JsonNode a = invoke(r, call(PLAIN, hints(0, 100), 1, Long.MAX_VALUE)).join();
    JsonNode b = invoke(r, call(PLAIN, hints(0, 100), 1, Long.MAX_VALUE)).join();
    assertThat(a.get("payload").textValue()).isSameAs(b.get("payload").textValue());
  }
}

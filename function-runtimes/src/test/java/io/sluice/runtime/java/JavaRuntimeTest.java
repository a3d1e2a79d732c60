package io.sluice.runtime.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaRuntimeTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final JavaRuntime java = JavaRuntime.create();

  @AfterEach
  void close() {
    java.close();
  }

  private static FunctionDef fn(String name) {
    return new FunctionDef(name, "java", null, null);
  }

  private static FunctionDef fn(String name, ObjectNode settings) {
    return new FunctionDef(name, "java", settings, Location.of("functions.yaml", 7));
  }

  private static Invocation call(FunctionDef f, JsonNode input) {
    return new Invocation(f, input, Long.MAX_VALUE, "inst-9", "node-x", 2, Hints.NONE);
  }

  private CompletableFuture<JsonNode> invoke(FunctionDef f, JsonNode input) {
    return java.invoke(call(f, input)).toCompletableFuture();
  }

  private static FunctionException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    return FunctionException.of(f.handle((r, e) -> e).join());
  }

  @Test
  void builtInFunctions() {
    JsonNode in = JSON.objectNode().put("a", 1);
    assertThat(invoke(fn("sluice.identity"), in).join()).isEqualTo(in);
    assertThat(invoke(fn("sluice.noop"), in).join()).isEqualTo(JSON.objectNode());
    assertThat(invoke(fn("sluice.echo"), in).join().get("input")).isEqualTo(in);
    assertThat(java.functionNames())
        .contains("sluice.identity", "sluice.noop", "sluice.echo", "sluice.fail");
  }

  @Test
  void failBuiltInTakesTypeMessageAndRetryableFromItsInput() {
    FunctionException plain = failure(invoke(fn("sluice.fail"), JSON.nullNode()));
    assertThat(plain.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(plain.retryable()).isTrue();
    assertThat(plain.getMessage()).contains("node-x").contains("attempt 2");

    JsonNode custom =
        JSON.objectNode()
            .put("type", "PaymentDeclined")
            .put("message", "no")
            .put("retryable", false);
    FunctionException e = failure(invoke(fn("sluice.fail"), custom));
    assertThat(e.type()).isEqualTo("PaymentDeclined");
    assertThat(e.getMessage()).isEqualTo("no");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void runsInlineOnTheCallingThreadWithTheCallContext() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicReference<FunctionContext> seen = new AtomicReference<>();
    java.register(
        "probe",
        (in, ctx) -> {
          ranOn.set(Thread.currentThread());
          seen.set(ctx);
          return in;
        });
    CompletableFuture<JsonNode> out = invoke(fn("probe"), TextNode.valueOf("hi"));
    assertThat(out).isCompletedWithValue(TextNode.valueOf("hi"));
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(seen.get()).isEqualTo(new FunctionContext("inst-9", "node-x", 2));
  }

  @Test
  void theContextCarriesTheEnginesIdempotencyKeys() {
    AtomicReference<FunctionContext> seen = new AtomicReference<>();
    java.register(
        "keyed",
        (in, ctx) -> {
          seen.set(ctx);
          return in;
        });
    io.sluice.runtime.CallKey key =
        io.sluice.runtime.CallKey.of(
            "inst-9", List.of(new io.sluice.runtime.CallKey.Enclosing("m", 1, 1)), "n", 2);
    java.invoke(
            new Invocation(
                fn("keyed"),
                JSON.nullNode(),
                Long.MAX_VALUE,
                "inst-9.m.1",
                "n",
                2,
                Hints.NONE,
                null,
                key))
        .toCompletableFuture()
        .join();
    assertThat(seen.get().idempotencyKey()).isEqualTo("inst-9/m@1[1]/n@2");
    assertThat(seen.get().stepKey()).isEqualTo("inst-9/m[1]/n");
    assertThat(seen.get().instanceId()).isEqualTo("inst-9.m.1");
  }

  @Test
  void theNameSettingPicksTheRegisteredFunction() {
    java.register("impl.double", (in, ctx) -> JSON.numberNode(in.asInt() * 2));
    FunctionDef f = fn("double", JSON.objectNode().put("name", "impl.double"));
    assertThat(invoke(f, JSON.numberNode(21)).join()).isEqualTo(JSON.numberNode(42));
  }

  @Test
  void exceptionsBecomeRetryableFunctionFailuresAndFunctionExceptionsKeepTheirType() {
    java.register(
        "throws",
        (in, ctx) -> {
          throw new IllegalStateException("disk full");
        });
    java.register(
        "declines",
        (in, ctx) -> {
          throw new FunctionException("Declined", "card declined", false);
        });
    FunctionException e = failure(invoke(fn("throws"), JSON.nullNode()));
    assertThat(e.type()).isEqualTo(FunctionException.FUNCTION_FAILED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("disk full");
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);

    FunctionException d = failure(invoke(fn("declines"), JSON.nullNode()));
    assertThat(d.type()).isEqualTo("Declined");
    assertThat(d.retryable()).isFalse();
  }

  @Test
  void nullOutputIsJsonNull() {
    java.register("nothing", (in, ctx) -> null);
    assertThat(invoke(fn("nothing"), JSON.nullNode()).join()).isEqualTo(NullNode.getInstance());
  }

  @Test
  void unknownFunctionFailsForGoodAndValidationSaysSo() {
    FunctionException e = failure(invoke(fn("nope"), JSON.nullNode()));
    assertThat(e.type()).isEqualTo(FunctionException.UNKNOWN_FUNCTION);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("'nope'").contains("register");
    assertThatThrownBy(() -> java.validate(fn("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void classSettingInstantiatesTheClassOnce() {
    FunctionDef f = fn("upper", JSON.objectNode().put("class", UppercaseFunction.class.getName()));
    int before = UppercaseFunction.INSTANCES.get();
    java.validate(f);
    for (int i = 0; i < 3; i++) {
      assertThat(invoke(f, TextNode.valueOf("abc")).join()).isEqualTo(TextNode.valueOf("ABC"));
    }
    assertThat(UppercaseFunction.INSTANCES.get() - before).isEqualTo(1);
  }

  @Test
  void missingOrWrongClassIsABadConfigurationNamingFunctionAndClass() {
    FunctionException missing =
        failure(invoke(fn("hello", JSON.objectNode().put("class", "com.example.Hello")), null));
    assertThat(missing.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(missing.retryable()).isFalse();
    assertThat(missing.getMessage())
        .contains("'hello'")
        .contains("com.example.Hello")
        .contains("functions.yaml:7");

    FunctionException wrong =
        failure(invoke(fn("str", JSON.objectNode().put("class", "java.lang.String")), null));
    assertThat(wrong.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(wrong.getMessage()).contains("does not implement");

    assertThatThrownBy(
            () -> java.validate(fn("str", JSON.objectNode().put("class", "java.lang.String"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void linesAFunctionLogsThroughItsContextAreTheCallsLogSyncOrAsync() {
    java.register(
        "chatty",
        (in, ctx) -> {
          ctx.log("step 1");
          ctx.log("step 2");
          if (in.asBoolean()) {
            throw new IllegalStateException("and then it broke");
          }
          return in;
        });
    for (ObjectNode settings : List.of(JSON.objectNode(), JSON.objectNode().put("async", true))) {
      for (boolean fail : new boolean[] {false, true}) {
        io.sluice.runtime.CallTime time = new io.sluice.runtime.CallTime();
        Invocation inv =
            new Invocation(
                fn("chatty", settings),
                JSON.booleanNode(fail),
                Long.MAX_VALUE,
                "inst-9",
                "node-x",
                1,
                Hints.NONE,
                time);
        java.invoke(inv).toCompletableFuture().handle((r, e) -> r).join();
        assertThat(time.log())
            .as(settings + " failing " + fail)
            .isEqualTo(new io.sluice.runtime.CallTime.Log("log", "step 1\nstep 2\n", false));
      }
    }
    // without a CallTime to report to, logging goes nowhere and costs nothing
    java.register(
        "quiet",
        (in, ctx) -> {
          ctx.log("unheard");
          return in;
        });
    assertThat(invoke(fn("quiet"), TextNode.valueOf("x")).join()).isEqualTo(TextNode.valueOf("x"));
  }

  @Test
  void asyncFunctionsRunOnAnotherThread() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    java.register(
        "blocking",
        (in, ctx) -> {
          ranOn.set(Thread.currentThread());
          return in;
        });
    FunctionDef f = fn("blocking", JSON.objectNode().put("async", true));
    assertThat(invoke(f, TextNode.valueOf("x")).join()).isEqualTo(TextNode.valueOf("x"));
    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(ranOn.get().getName()).startsWith("sluice-java-async-");
  }

  @Test
  void asyncFunctionPastItsDeadlineTimesOutAndIsInterrupted() throws Exception {
    try (SystemScheduler scheduler = new SystemScheduler(1);
        JavaRuntime timed = JavaRuntime.create(RuntimeOptions.of(scheduler))) {
      CountDownLatch interrupted = new CountDownLatch(1);
      timed.register(
          "stuck",
          (in, ctx) -> {
            try {
              Thread.sleep(120_000);
            } catch (InterruptedException e) {
              interrupted.countDown();
              throw e;
            }
            return in;
          });
      FunctionDef f = fn("stuck", JSON.objectNode().put("async", true));
      long deadline = scheduler.nanoTime() + Duration.ofMillis(200).toNanos();
      Invocation inv = new Invocation(f, null, deadline, "i", "n", 1, Hints.NONE);
      FunctionException e =
          FunctionException.of(
              timed
                  .invoke(inv)
                  .toCompletableFuture()
                  .handle((r, t) -> t)
                  .get(30, TimeUnit.SECONDS));
      assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
      assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void badAsyncSettingIsRejected() {
    assertThatThrownBy(
            () -> java.validate(fn("sluice.noop", JSON.objectNode().put("async", "yes"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("async");
  }
}

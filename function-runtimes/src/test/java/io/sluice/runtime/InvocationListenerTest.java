package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.time.ManualScheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What an {@link InvocationListener} hears of the calls made through {@link FunctionRuntimes}. */
class InvocationListenerTest {
  /** Answers "ok" at once, fails at once for input "fail", and leaves "later" to the test. */
  static final class Stub implements FunctionRuntime {
    final CompletableFuture<JsonNode> later = new CompletableFuture<>();

    @Override
    public String kind() {
      return "stub";
    }

    @Override
    public CompletionStage<JsonNode> invoke(Invocation inv) {
      return switch (inv.input().asText()) {
        case "fail" -> CompletableFuture.failedFuture(new FunctionException("Boom", "no", false));
        case "throw" -> throw new IllegalStateException("thrown");
        case "later" -> later;
        default -> CompletableFuture.completedFuture(TextNode.valueOf("ok"));
      };
    }
  }

  record Heard(String runtime, String function, boolean failed) {}

  private static Invocation call(String function, String input) {
    return new Invocation(
        new FunctionDef(function, "stub", null, Location.UNKNOWN),
        TextNode.valueOf(input),
        Long.MAX_VALUE,
        "i-1",
        "n",
        1,
        Hints.NONE,
        null);
  }

  @Test
  void hearsEachCallsEndWithItsFunctionAndOutcomeAndAsksForAProbeOncePerFunction() {
    List<Heard> heard = new CopyOnWriteArrayList<>();
    List<String> probes = new CopyOnWriteArrayList<>();
    InvocationListener l =
        (runtime, function) -> {
          probes.add(function);
          return (nanos, error) -> {
            assertThat(nanos).isNotNegative();
            heard.add(new Heard(runtime, function, error != null));
          };
        };
    Stub stub = new Stub();
    FunctionRuntimes runtimes =
        FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()).withListener(l))
            .register(stub);
    FunctionRuntime r = runtimes.runtime("stub");
    assertThat(r).isNotSameAs(stub).isSameAs(runtimes.runtime("stub"));
    assertThat(r.kind()).isEqualTo("stub");

    assertThat(r.invoke(call("f", "x")).toCompletableFuture().join().asText()).isEqualTo("ok");
    r.invoke(call("f", "fail"));
    assertThatThrownBy(() -> r.invoke(call("g", "throw"))).hasMessage("thrown");
    CompletionStage<JsonNode> pending = r.invoke(call("g", "later"));
    // the caller gets the runtime's own stage
    assertThat(pending).isSameAs(stub.later);
    assertThat(heard)
        .containsExactly(
            new Heard("stub", "f", false),
            new Heard("stub", "f", true),
            new Heard("stub", "g", true));
    stub.later.complete(TextNode.valueOf("done"));
    assertThat(heard).last().isEqualTo(new Heard("stub", "g", false));
    assertThat(probes).containsExactly("f", "g");
  }

  @Test
  void withoutAListenerTheRuntimesAreHandedOutUnwrapped() {
    Stub stub = new Stub();
    FunctionRuntimes runtimes =
        FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler())).register(stub);
    assertThat(runtimes.runtime("stub")).isSameAs(stub);
    assertThat(RuntimeOptions.of(new ManualScheduler()).listener())
        .isSameAs(InvocationListener.NONE);
    InvocationListener l = (runtime, function) -> InvocationListener.Probe.NONE;
    assertThat(RuntimeOptions.of(new ManualScheduler()).withListener(l).scaled(0, 2).listener())
        .isSameAs(l);
  }
}

package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.ManualScheduler;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionRuntimesTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final FunctionRuntimes runtimes =
      FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()));

  @AfterEach
  void close() {
    runtimes.close();
  }

  private static Invocation call(FunctionDef f) {
    return new Invocation(f, TextNode.valueOf("in"), Long.MAX_VALUE, "i", "n", 1, Hints.NONE);
  }

  /** A runtime holding containers: granted and used memory, busy slots. */
  private static FunctionRuntime holding(String kind, long granted, long used) {
    return new FunctionRuntime() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public java.util.concurrent.CompletionStage<JsonNode> invoke(Invocation inv) {
        return CompletableFuture.completedFuture(inv.input());
      }

      @Override
      public Footprint footprint() {
        return new Footprint(1, granted, used);
      }
    };
  }

  @Test
  void aFootprintOverSeveralSetsCountsEachRuntimeOnce() {
    FunctionRuntime shared = holding("shared", 100, 10);
    FunctionRuntimes other = FunctionRuntimes.load(RuntimeOptions.of(new ManualScheduler()));
    try {
      runtimes.register(shared);
      other.register(shared).register(holding("own", 1000, 300));
      // A worker's base runtimes and a deployment's share "shared"; only "own" is the deployment's.
      assertThat(FunctionRuntimes.sum(java.util.List.of(runtimes, other)))
          .isEqualTo(new Footprint(2, 1100, 310));
      assertThat(runtimes.footprint()).isEqualTo(new Footprint(1, 100, 10));
    } finally {
      other.close();
    }
  }

  @Test
  void theThreeBuiltInRuntimesAreFoundOnTheClassPath() {
    assertThat(runtimes.kinds()).contains("java", "process", "synthetic");
    assertThat(runtimes.runtime("java")).isInstanceOf(JavaRuntime.class);
    assertThat(runtimes.runtime("process").kind()).isEqualTo("process");
    assertThat(runtimes.runtime("synthetic").kind()).isEqualTo("synthetic");
  }

  @Test
  void invokeRoutesByTheFunctionsRuntime() {
    JsonNode out =
        runtimes
            .invoke(call(new FunctionDef("sluice.identity", "java", null, null)))
            .toCompletableFuture()
            .join();
    assertThat(out).isEqualTo(TextNode.valueOf("in"));
    JsonNode synthetic =
        runtimes
            .invoke(call(new FunctionDef("s", "synthetic", null, null)))
            .toCompletableFuture()
            .join();
    assertThat(synthetic).isEqualTo(JSON.objectNode().put("node", "n"));
  }

  @Test
  void unknownRuntimeFailsTheStageForGood() {
    CompletableFuture<JsonNode> out =
        runtimes.invoke(call(new FunctionDef("f", "knative", null, null))).toCompletableFuture();
    FunctionException e = FunctionException.of(out.handle((r, t) -> t).join());
    assertThat(e.type()).isEqualTo(FunctionException.UNKNOWN_FUNCTION);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("knative");
  }

  @Test
  void aRegisteredJavaRuntimeServesItsFunctions() {
    runtimes.register(
        JavaRuntime.create().register("greet", (in, ctx) -> TextNode.valueOf("hi " + in.asText())));
    JsonNode out =
        runtimes
            .invoke(call(new FunctionDef("greet", "java", null, null)))
            .toCompletableFuture()
            .join();
    assertThat(out).isEqualTo(TextNode.valueOf("hi in"));
  }

  @Test
  void validateNamesTheFunctionAndWhereItIsDeclared() {
    FunctionDef unknown = new FunctionDef("thumb", "knative", null, Location.of("wf.yaml", 12));
    assertThat(runtimes.kinds()).contains("docker", "http", "java", "process", "synthetic");
    assertThat(runtimes.check(unknown))
        .singleElement()
        .asString()
        .startsWith(
            "wf.yaml:12: -: function 'thumb' uses runtime 'knative', which does not exist"
                + " here (known runtimes: "
                + runtimes.kinds()
                + ")");
    FunctionDef badTimeout =
        new FunctionDef("s", "synthetic", JSON.objectNode().put("timeout", "later"), null);
    assertThatThrownBy(() -> runtimes.validate(badTimeout))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("function 's': setting 'timeout'");
    assertThat(runtimes.check(new FunctionDef("sluice.noop", "java", null, null))).isEmpty();
  }
}

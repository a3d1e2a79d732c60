package io.sluice.runtime.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();

  /** Records the traceparent current while it runs; completes with {@code outcome}. */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private CompletableFuture<JsonNode> outcome =
      CompletableFuture.completedFuture(TextNode.valueOf("x"));

  private final FunctionRuntime runtime =
      new FunctionRuntime() {
        @Override
        public String kind() {
          return "test";
        }

        @Override
        public CompletionStage<JsonNode> invoke(Invocation inv) {
          seen.add(String.valueOf(Tracing.currentTraceparent()));
          return outcome;
        }

        @Override
        public void close() {}
      };

  private static Invocation call(String instance, String node) {
    return new Invocation(
        new FunctionDef("f", "test", null, null),
        null,
        Long.MAX_VALUE,
        instance,
        node,
        1,
        Hints.NONE);
  }

  @AfterEach
  void off() {
    Tracing.uninstall();
    sdk.close();
  }

  @Test
  void offTheRuntimesOwnStageIsReturnedAndNothingIsRecorded() {
    CompletionStage<JsonNode> f = Tracing.invoke(runtime, call("i", "a"), "i", "w1");
    assertThat(f).isSameAs(outcome);
    assertThat(seen).containsExactly("null");
    assertThat(Tracing.startInstance("i", "wf")).isNull();
    Tracing.joined("i", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(Tracing.traceparentOf("i")).isNull();
  }

  @Test
  void aNodeSpanIsAChildOfItsInstanceAndCurrentWhileTheRuntimeRuns() {
    Tracing.install(sdk);
    Tracing.InstanceSpan instance = Tracing.startInstance("i", "wf@1");
    assertThat(Tracing.traceparentOf("i")).isEqualTo(instance.traceparent());

    CompletionStage<JsonNode> f = Tracing.invoke(runtime, call("i", "a"), "i", "w1");
    instance.end("COMPLETED", null);

    assertThat(f).isSameAs(outcome);
    List<SpanData> done = spans.getFinishedSpanItems();
    assertThat(done).hasSize(2);
    SpanData node = done.get(0);
    SpanData root = done.get(1);
    assertThat(node.getName()).isEqualTo("node a");
    assertThat(root.getName()).isEqualTo("instance wf@1");
    assertThat(node.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(node.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(seen).containsExactly(Tracing.format(node.getSpanContext()));
    assertThat(node.getAttributes().get(AttributeKey.stringKey("sluice.worker"))).isEqualTo("w1");
    assertThat(node.getAttributes().get(AttributeKey.stringKey("sluice.runtime")))
        .isEqualTo("test");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("sluice.state")))
        .isEqualTo("COMPLETED");
    assertThat(Tracing.traceparentOf("i")).as("forgotten once ended").isNull();
  }

  @Test
  void aWorkerJoinsTheTraceItWasSentAndKeepsTheFirst() {
    Tracing.install(sdk);
    String sent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    Tracing.joined("i", sent);
    Tracing.joined("i", "00-11111111111111111111111111111111-2222222222222222-01");
    Tracing.joined("j", "not a traceparent");
    assertThat(Tracing.traceparentOf("i")).isEqualTo(sent);
    assertThat(Tracing.traceparentOf("j")).isNull();

    Tracing.invoke(runtime, call("i.m.0", "a"), "i", null);
    SpanData node = spans.getFinishedSpanItems().get(0);
    assertThat(node.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(node.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(node.getAttributes().get(AttributeKey.stringKey("sluice.instance")))
        .isEqualTo("i.m.0");
  }

  @Test
  void aFailedCallIsAnErrorSpanEndedWhenTheCallEnds() {
    Tracing.install(sdk);
    outcome = new CompletableFuture<>();
    Tracing.invoke(runtime, call("i", "a"), "i", null);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    outcome.completeExceptionally(new FunctionException("Boom", "it broke", false));
    SpanData node = spans.getFinishedSpanItems().get(0);
    assertThat(node.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(node.getStatus().getDescription()).contains("it broke");
  }

  @Test
  void aRuntimeThatThrowsEndsItsSpanAsAnError() {
    Tracing.install(sdk);
    FunctionRuntime throwing =
        new FunctionRuntime() {
          @Override
          public String kind() {
            return "test";
          }

          @Override
          public CompletionStage<JsonNode> invoke(Invocation inv) {
            throw new IllegalStateException("closed");
          }

          @Override
          public void close() {}
        };
    assertThatThrownBy(() -> Tracing.invoke(throwing, call("i", "a"), "i", null))
        .hasMessage("closed");
    assertThat(spans.getFinishedSpanItems().get(0).getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
  }
}

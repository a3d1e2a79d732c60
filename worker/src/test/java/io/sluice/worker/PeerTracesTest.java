package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.v1.proto.CloudEvent;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.runtime.trace.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerTracesTest {
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider( // a provider with no processor makes no spans
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                  .build())
          .build();
  private final CloudEvent event =
      CloudEvent.newBuilder()
          .setId("e1")
          .setSource("w1")
          .setSpecVersion("1.0")
          .setType("t")
          .build();

  @AfterEach
  void off() {
    Tracing.uninstall();
    sdk.close();
  }

  @Test
  void offAnEventIsSentAsItIs() {
    assertThat(PeerTraces.tag(event, "i")).isSameAs(event);
  }

  @Test
  void anEdgeEventCarriesItsInstancesTraceToAWorkerThatDidNotKnowIt() {
    Tracing.install(sdk);
    Tracing.InstanceSpan span = Tracing.startInstance("i", "wf@1");
    CloudEvent tagged = PeerTraces.tag(event, "i");
    assertThat(tagged.getAttributesMap().get("traceparent").getCeString())
        .isEqualTo(span.traceparent());
    assertThat(PeerTraces.tag(event, "unknown")).isSameAs(event);

    Tracing.uninstall(); // the receiving worker: tracing on, the instance not known
    Tracing.install(sdk);
    assertThat(Tracing.traceparentOf("i")).isNull();
    PeerTraces.joined(tagged, "i");
    assertThat(Tracing.traceparentOf("i")).isEqualTo(span.traceparent());
  }
}

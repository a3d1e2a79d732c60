package io.sluice.cluster.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.sluice.runtime.trace.Tracing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSetupTest {
  @Test
  void onlyAnExporterOtherThanNoneTurnsTracingOn() {
    assertThat(TracingSetup.wanted(null)).isFalse();
    assertThat(TracingSetup.wanted(" ")).isFalse();
    assertThat(TracingSetup.wanted("none")).isFalse();
    assertThat(TracingSetup.wanted("otlp")).isTrue();
    assertThat(TracingSetup.wanted("otlp,console")).isTrue();
  }

  @Test
  void theSdkIsBuiltFromTheStandardPropertiesWithTheServiceNameAsDefault() {
    OpenTelemetrySdk sdk =
        TracingSetup.install(
            "sluice-worker",
            Map.of(
                "otel.traces.exporter", "otlp",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:1",
                "otel.exporter.otlp.protocol", "http/protobuf"));
    try {
      assertThat(Tracing.enabled()).isTrue();
      assertThat(sdk.getSdkTracerProvider().toString())
          .contains("service.name=\"sluice-worker\"")
          .contains("OtlpHttpSpanExporter");
      Tracing.InstanceSpan span = Tracing.startInstance("i", "wf@1");
      assertThat(span.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
      span.end("COMPLETED", null);
    } finally {
      Tracing.uninstall();
      sdk.shutdown();
    }
  }
}

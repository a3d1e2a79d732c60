package io.sluice.cluster.trace;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.sluice.runtime.trace.Tracing;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link Tracing} on for a master or worker process when {@code OTEL_TRACES_EXPORTER} (or the
 * system property {@code otel.traces.exporter}) names an exporter other than {@code none}: the
 * OpenTelemetry SDK is then configured the standard way from the {@code OTEL_*} variables (OTLP
 * endpoint, protocol, headers, sampler, resource...), metrics and logs exporters default to {@code
 * none} (Sluice's metrics are served at {@code /metrics}), and the service name defaults to {@code
 * sluice-master} or {@code sluice-worker}. Unset, no SDK is built and tracing costs nothing.
 */
public final class TracingSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TracingSetup.class);

  private static OpenTelemetrySdk installed;

  private TracingSetup() {}

  /** Installs the SDK if the environment asks for traces; once per process. */
  public static synchronized void fromEnvironment(String serviceName) {
    String exporter = System.getProperty("otel.traces.exporter");
    if (exporter == null) {
      exporter = System.getenv("OTEL_TRACES_EXPORTER");
    }
    if (installed == null && wanted(exporter) && !Tracing.enabled()) {
      try {
        installed = install(serviceName, Map.of());
      } catch (RuntimeException e) { // the SDK's ConfigurationException: a bad OTEL_* value
        throw new IllegalArgumentException(
            "tracing (OTEL_TRACES_EXPORTER=" + exporter + "): " + e.getMessage(), e);
      }
      LOG.info(
          "tracing on: spans go to exporter '{}' (OTEL_TRACES_EXPORTER); service name {} unless"
              + " OTEL_SERVICE_NAME says otherwise",
          exporter,
          serviceName);
    }
  }

  /** Whether {@code exporter} (the variable's value, or null) asks for traces. */
  static boolean wanted(String exporter) {
    return exporter != null && !exporter.isBlank() && !exporter.trim().equals("none");
  }

  /**
   * Builds the SDK from the {@code OTEL_*} variables and system properties, with {@code defaults}
   * (property names such as {@code otel.traces.exporter}) under them, and installs it.
   */
  static OpenTelemetrySdk install(String serviceName, Map<String, String> defaults) {
    Map<String, String> base =
        new java.util.HashMap<>(
            Map.of(
                "otel.service.name", serviceName,
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none"));
    base.putAll(defaults);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> base) // under the variables and system properties
            .build() // registers a shutdown hook that flushes the spans still batched
            .getOpenTelemetrySdk();
    Tracing.install(sdk);
    return sdk;
  }
}

package io.sluice.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sluice.engine.ClientFunctions;
import io.sluice.engine.Definitions;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.trace.Tracing;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing costs per instance in the embedded engine (genome: 50 zero-time synthetic nodes by
 * default): {@code tracing=off} is the default state (no SDK, {@link Tracing} not installed);
 * {@code on} installs the SDK with a batch processor and an exporter that drops every span, so the
 * figure is the spans' own cost (the instance span as the master makes it, a span per node) without
 * the network. {@link #call} against {@link #direct} is one node invocation through the
 * instrumentation against the same call without it, off and on: the cost per node, without the
 * engine's own noise (docs/configuration.md, Tracing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TracingBenchmark {
  @Param({"off", "on"})
  public String tracing;

  @Param({"corpus/faasflow/genome/flat_workflow.yaml"})
  public String workflow;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private WorkflowEngine engine;
  private DeployedWorkflow deployed;
  private OpenTelemetrySdk sdk;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private Tracing.InstanceSpan callInstance;

  private static final Invocation CALL =
      new Invocation(
          new FunctionDef("f", "bench", null, null),
          NullNode.getInstance(),
          Long.MAX_VALUE,
          "trace-bench-call",
          "n",
          1,
          Hints.NONE);

  private static final CompletableFuture<JsonNode> DONE =
      CompletableFuture.completedFuture(NullNode.getInstance());

  /** A runtime whose calls complete at once. */
  private static final FunctionRuntime NOW =
      new FunctionRuntime() {
        @Override
        public String kind() {
          return "bench";
        }

        @Override
        public CompletionStage<JsonNode> invoke(Invocation inv) {
          return DONE;
        }

        @Override
        public void close() {}
      };

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path file = Path.of(System.getProperty("sluice.home", ".")).resolve(workflow);
    Definitions.Loaded loaded = Definitions.read(file, null);
    scheduler = new SystemScheduler(2);
    runtimes =
        FunctionRuntimes.load(
            new RuntimeOptions(scheduler, 0, 0, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES));
    engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes)
                .withRegistry(ClientFunctions.bind(loaded, true, null))
                .withSyntheticFallback(true));
    deployed = engine.deploy(loaded.graph());
    if (tracing.equals("on")) {
      sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(
                          BatchSpanProcessor.builder(new Dropping())
                              .setMaxQueueSize(1 << 16)
                              .setScheduleDelay(Duration.ofMillis(50))
                              .build())
                      .build())
              .build();
      Tracing.install(sdk);
      callInstance = Tracing.startInstance(CALL.instanceId(), "bench@1"); // the parent looked up
    }
    System.out.println(
        "\nTracingBenchmark tracing="
            + tracing
            + ": "
            + loaded.graph().nodes().size()
            + " nodes per instance");
  }

  /** One node invocation through the instrumentation, of a function that returns at once. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Object call() {
    return Tracing.invoke(NOW, CALL, CALL.instanceId(), "w1");
  }

  /** The same invocation without it: the baseline of {@link #call}. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Object direct() {
    return NOW.invoke(CALL);
  }

  /** One instance, start to end, with its instance span as the master would make it. */
  @Benchmark
  public Object instance() throws Exception {
    String id = "trace-bench-" + ids.incrementAndGet();
    Tracing.InstanceSpan span = Tracing.startInstance(id, "genome@1");
    Object out = engine.completion(engine.start(deployed, null, id)).get(10, TimeUnit.SECONDS);
    if (span != null) {
      span.end("COMPLETED", null);
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void stop() {
    engine.close();
    runtimes.close();
    scheduler.close();
    if (sdk != null) {
      callInstance.end("COMPLETED", null);
      sdk.close();
      Tracing.uninstall();
      System.out.println("\nTracingBenchmark: " + exported.get() + " spans exported");
    }
  }

  /** Takes every span and sends it nowhere. */
  private final class Dropping implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}

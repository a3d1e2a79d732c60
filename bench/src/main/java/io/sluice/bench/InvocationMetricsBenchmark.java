package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.InvocationListener;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.WorkerMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a worker's invocation metrics cost per call (docs/benchmarks.md, Invocation metrics): a
 * no-op {@code java} function invoked through its runtime as the engine does ({@code invoke}, ns
 * per call), and per hop of a 1,000-node chain on the engine ({@code chain1000}, ns per hop), with
 * {@code listener} {@code none} (runtimes unwrapped, the default), {@code noop} (wrapped, a probe
 * that does nothing: the wrapper's own cost) or {@code prometheus} (the worker's meters in a
 * Prometheus registry). {@code mdcPutRemove} and {@code instanceLogDisabled} price what putting
 * instance and node into the MDC around every node would cost, against {@link InstanceLog}'s
 * disabled-level check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InvocationMetricsBenchmark {
  static final int HOPS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(InvocationMetricsBenchmark.class);

  @Param({"none", "noop", "prometheus"})
  public String listener;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private FunctionRuntime java;
  private Invocation call;
  private WorkflowEngine engine;
  private DeployedWorkflow chain;

  @Setup(Level.Trial)
  public void setUp() {
    scheduler = new SystemScheduler(1);
    InvocationListener l =
        switch (listener) {
          case "none" -> InvocationListener.NONE;
          case "noop" -> (runtime, function) -> (nanos, error) -> {};
          case "prometheus" ->
              WorkerMetrics.invocations(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
          default -> throw new IllegalArgumentException("listener " + listener);
        };
    RuntimeOptions options = RuntimeOptions.of(scheduler).withListener(l);
    JsonNode empty = JsonNodeFactory.instance.objectNode();
    runtimes =
        FunctionRuntimes.load(options)
            .register(JavaRuntime.create(options).register("noop", (in, ctx) -> empty));
    java = runtimes.runtime(JavaRuntime.KIND);
    call =
        new Invocation(
            new FunctionDef("noop", JavaRuntime.KIND, null, Location.UNKNOWN),
            empty,
            Long.MAX_VALUE,
            "i-1",
            "n0",
            1,
            Hints.NONE,
            null);
    engine =
        WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(1).withRecordHistory(false));
    chain = engine.deploy(DispatchBenchmark.chain(HOPS));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
    runtimes.close();
    scheduler.close();
  }

  @Benchmark
  public Object invoke() {
    return java.invoke(call).toCompletableFuture().join();
  }

  @Benchmark
  @OperationsPerInvocation(HOPS)
  public InstanceStatus chain1000() {
    InstanceStatus s = engine.completion(engine.start(chain, null)).join();
    if (s.state() != InstanceState.COMPLETED) {
      throw new IllegalStateException("benchmark instance did not complete: " + s);
    }
    return s;
  }

  /** One clock read: the wrapper makes two per call, which on a loaded VM is most of its cost. */
  @Benchmark
  public long clockRead() {
    return System.nanoTime();
  }

  /** Putting instance and node into the MDC and taking them out again, as per node would. */
  @Benchmark
  public void mdcPutRemove() {
    MDC.put(InstanceLog.INSTANCE, "i-1");
    MDC.put(InstanceLog.NODE, "n0");
    MDC.remove(InstanceLog.INSTANCE);
    MDC.remove(InstanceLog.NODE);
  }

  /** An {@link InstanceLog} line at a disabled level (debug under the default WARN). */
  @Benchmark
  public void instanceLogDisabled() {
    InstanceLog.debug(LOG, "i-1", "n0", "dispatch {} {}", "i-1", "n0");
  }
}

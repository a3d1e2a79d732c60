package io.sluice.bench.cluster;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.engine.ClientFunctions;
import io.sluice.engine.Definitions;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.NodeSteps;
import io.sluice.engine.WorkflowEngine;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.proto.ReportProgressResponse;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.ProgressReporter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 * What reporting node progress costs the engine: one zero-compute instance in the embedded engine
 * (FaaSFlow's genome by default: 50 synthetic functions at time scale 0, every node a started and a
 * completed step) with {@code -p progress=none} ({@link NodeSteps#NONE}) and {@code
 * progress=reporter} (a worker's {@link ProgressReporter} sending every 200 ms to a ClusterService
 * on loopback that takes and counts the reports). The difference divided by the steps per instance
 * is the cost per step, background batching and sending included (they share the machine's cores
 * with the engine). At teardown the reporter's counts (sent, dropped) are printed: a run that
 * dropped measured the drop, not the send.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NodeProgressBenchmark {
  @Param({"none", "reporter"})
  public String progress;

  @Param({"corpus/faasflow/genome/flat_workflow.yaml"})
  public String workflow;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private WorkflowEngine engine;
  private DeployedWorkflow deployed;
  private Server master;
  private ManagedChannel channel;
  private NodeSteps steps = NodeSteps.NONE;
  private final AtomicLong received = new AtomicLong();

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path file = Path.of(System.getProperty("sluice.home", ".")).resolve(workflow);
    Definitions.Loaded loaded = Definitions.read(file, null);
    scheduler = new SystemScheduler(2);
    runtimes =
        FunctionRuntimes.load(
            new RuntimeOptions(scheduler, 0, 0, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES));
    if (progress.equals("reporter")) {
      master =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(
                  new ClusterServiceGrpc.ClusterServiceImplBase() {
                    @Override
                    public void reportProgress(
                        ReportProgressRequest req, StreamObserver<ReportProgressResponse> r) {
                      received.addAndGet(req.getStepsCount());
                      r.onNext(ReportProgressResponse.getDefaultInstance());
                      r.onCompleted();
                    }
                  })
              .build()
              .start();
      channel =
          NettyChannelBuilder.forTarget("127.0.0.1:" + master.getPort()).usePlaintext().build();
      steps = ProgressReporter.start("bench", channel, scheduler, ProgressConfig.DEFAULT);
    } else if (!progress.equals("none")) {
      throw new IllegalArgumentException("progress must be none or reporter, got " + progress);
    }
    engine =
        WorkflowEngine.embedded(
            EngineOptions.of(runtimes)
                .withRegistry(ClientFunctions.bind(loaded, true, null))
                .withSyntheticFallback(true)
                .withRecordHistory(false)
                .withNodeSteps(steps));
    deployed = engine.deploy(loaded.graph());
  }

  /** One instance, start to end. */
  @Benchmark
  public Object instance() throws Exception {
    return engine.completion(engine.start(deployed, null)).get(10, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    engine.close();
    if (steps instanceof ProgressReporter r) {
      r.close();
      System.out.printf(
          "%nNodeProgressBenchmark: the master took %d steps; the reporter dropped %d, %d failed"
              + " calls%n",
          received.get(), r.dropped(), r.failedCalls());
      channel.shutdownNow();
      master.shutdownNow();
    }
    runtimes.close();
    scheduler.close();
  }
}

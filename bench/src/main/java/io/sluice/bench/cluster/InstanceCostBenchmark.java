package io.sluice.bench.cluster;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.client.LocalCluster;
import io.sluice.engine.ClientFunctions;
import io.sluice.engine.Definitions;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * What one zero-compute instance costs end to end, in the embedded engine and on a master with 3
 * workers in this JVM (real gRPC on loopback) in each mode: the client's {@code InvokeAndWait}
 * round trip, so the cluster's figure includes starting the instance on the workers and hearing its
 * end. FaaSFlow's genome (50 synthetic functions at time scale 0) by default; {@code -p
 * workflow=...} takes any definition under the repository ({@code -Dsluice.home}, default the
 * working directory). The cluster's cost over the embedded engine's is what distribution costs.
 * {@code -p mode=durable} is worker mode with {@code durability: redis} on the Redis at {@code
 * SLUICE_REDIS_URI}: beside {@code worker}, what durability costs per instance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InstanceCostBenchmark {
  @Param({"embedded", "worker", "master"})
  public String mode;

  @Param({"corpus/faasflow/genome/flat_workflow.yaml"})
  public String workflow;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private WorkflowEngine engine;
  private DeployedWorkflow deployed;
  private LocalCluster cluster;
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub;
  private InvokeRequest request;
  private io.sluice.cluster.durable.Journal journal = io.sluice.cluster.durable.Journal.NONE;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path file = Path.of(System.getProperty("sluice.home", ".")).resolve(workflow);
    if (mode.equals("embedded")) {
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
      return;
    }
    cluster = new LocalCluster(3);
    if (mode.equals("durable")) {
      String uri = System.getenv("SLUICE_REDIS_URI");
      if (uri == null || uri.isBlank()) {
        throw new IllegalStateException("mode=durable needs SLUICE_REDIS_URI");
      }
      journal =
          io.sluice.cluster.durable.RedisJournal.open(
              java.net.URI.create(uri),
              java.time.Duration.ofSeconds(30),
              java.time.Duration.ofMinutes(1),
              "sluice:costbench:" + ProcessHandle.current().pid() + ":");
      cluster.journal(journal);
      System.out.println(
          "\nInstanceCostBenchmark mode=durable: "
              + io.sluice.bench.durable.RedisSettings.describe(java.net.URI.create(uri)));
    }
    channel =
        Grpc.newChannelBuilder(cluster.address(), InsecureChannelCredentials.create()).build();
    stub = WorkflowServiceGrpc.newBlockingStub(channel);
    WorkflowRef ref =
        stub.registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setDefinitionText(Files.readString(file))
                            .setFileName(file.getFileName().toString()))
                    .build())
            .getWorkflow();
    request =
        InvokeRequest.newBuilder()
            .setWorkflow(ref)
            .setInputJson("null")
            .setMode(
                mode.equals("master")
                    ? io.sluice.proto.Mode.MODE_MASTER
                    : io.sluice.proto.Mode.MODE_WORKER)
            .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(0).setDataScale(0))
            .build();
  }

  /** One instance, start to end. */
  @Benchmark
  public Object instance() throws Exception {
    if (engine != null) {
      return engine.completion(engine.start(deployed, null)).get(10, TimeUnit.SECONDS);
    }
    InstanceStatus s = stub.withDeadlineAfter(10, TimeUnit.SECONDS).invokeAndWait(request);
    if (s.getState() != InstanceState.INSTANCE_STATE_SUCCEEDED) {
      throw new IllegalStateException("instance " + s.getInstanceId() + " ended " + s.getState());
    }
    return s;
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (engine != null) {
      engine.close();
      runtimes.close();
      scheduler.close();
    }
    if (cluster != null) {
      channel.shutdownNow();
      cluster.close();
    }
    journal.close();
  }
}

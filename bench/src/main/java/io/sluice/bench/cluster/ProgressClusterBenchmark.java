package io.sluice.bench.cluster;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.NodeSteps;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.proto.ReportProgressResponse;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.MasterRegistration;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.ProgressReporter;
import io.sluice.worker.WorkerNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * What progress reporting costs a whole instance on the cluster path: {@link
 * InstanceCostBenchmark}'s worker mode (a master and 3 workers in this JVM over gRPC on loopback;
 * the client's {@code InvokeAndWait} of one zero-compute genome instance) with {@code -p
 * progress=off} and {@code progress=on}, where each worker's {@link ProgressReporter} (default
 * settings) reports to a ClusterService stand-in on loopback that takes and counts the steps (the
 * master's own handling of reports is not in the figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProgressClusterBenchmark {
  @Param({"off", "on"})
  public String progress;

  @Param({"corpus/faasflow/genome/flat_workflow.yaml"})
  public String workflow;

  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<WorkerNode> workers = new ArrayList<>();
  private final List<MasterRegistration> registrations = new ArrayList<>();
  private final List<ProgressReporter> reporters = new ArrayList<>();
  private final AtomicLong received = new AtomicLong();
  private MasterServer server;
  private Server standIn;
  private ManagedChannel client;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub stub;
  private InvokeRequest request;

  @Setup(Level.Trial)
  public void start() throws Exception {
    standIn =
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
    HeartbeatConfig hb = new HeartbeatConfig(HeartbeatConfig.DEFAULT.interval(), 60);
    Master master = new Master(MasterOptions.defaults().withHeartbeat(hb), scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    for (int i = 1; i <= 3; i++) {
      ManagedChannel toMaster = channel(server.address());
      EngineOptions options = EngineOptions.of(runtimes);
      if (progress.equals("on")) {
        NodeSteps r =
            ProgressReporter.start(
                "w" + i,
                channel("127.0.0.1:" + standIn.getPort()),
                scheduler,
                ProgressConfig.DEFAULT);
        reporters.add((ProgressReporter) r);
        options = options.withNodeSteps(r);
      } else if (!progress.equals("off")) {
        throw new IllegalArgumentException("progress must be off or on, got " + progress);
      }
      WorkerNode w =
          new WorkerNode(
              "w" + i, "127.0.0.1", 0, toMaster, options, List.of(), PeerLinkOptions.DEFAULT);
      workers.add(w);
      MasterRegistration reg =
          MasterRegistration.of(
              w,
              8,
              512L << 20,
              runtimes.kinds(),
              toMaster,
              server.address(),
              scheduler,
              hb.interval());
      registrations.add(reg);
      reg.register(Duration.ofSeconds(10));
    }
    Path file = Path.of(System.getProperty("sluice.home", ".")).resolve(workflow);
    client = channel(server.address());
    stub = WorkflowServiceGrpc.newBlockingStub(client);
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
            .setMode(io.sluice.proto.Mode.MODE_WORKER)
            .setOptions(RunOptions.newBuilder().setSynthetic(true).setTimeScale(0).setDataScale(0))
            .build();
  }

  private ManagedChannel channel(String address) {
    ManagedChannel c =
        Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
    channels.add(c);
    return c;
  }

  /** One instance, start to end. */
  @Benchmark
  public Object instance() {
    InstanceStatus s = stub.withDeadlineAfter(10, TimeUnit.SECONDS).invokeAndWait(request);
    if (s.getState() != InstanceState.INSTANCE_STATE_SUCCEEDED) {
      throw new IllegalStateException("instance " + s.getInstanceId() + " ended " + s.getState());
    }
    return s;
  }

  @TearDown(Level.Trial)
  public void stop() {
    long dropped = 0;
    for (ProgressReporter r : reporters) {
      r.close();
      dropped += r.dropped();
    }
    if (progress.equals("on")) {
      System.out.printf(
          "%nProgressClusterBenchmark: the stand-in took %d steps; the workers dropped %d%n",
          received.get(), dropped);
    }
    registrations.forEach(MasterRegistration::close);
    channels.forEach(ManagedChannel::shutdownNow);
    server.close();
    workers.forEach(w -> w.peers().close());
    workers.forEach(WorkerNode::close);
    standIn.shutdownNow();
    runtimes.close();
    scheduler.close();
  }
}

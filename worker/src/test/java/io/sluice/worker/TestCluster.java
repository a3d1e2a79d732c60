package io.sluice.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.PeerAddress;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Workers as {@link WorkerNode}s on loopback (port 0) with a {@link MasterStandIn}, driven over
 * real gRPC the way the master drives them: DeploySubgraph to every worker, StartInstance to every
 * worker that holds a part.
 */
final class TestCluster implements AutoCloseable {
  final SystemScheduler scheduler = new SystemScheduler(2);
  final MasterStandIn master;
  final Map<String, WorkerNode> workers = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final List<FunctionRuntimes> runtimes = new ArrayList<>();
  private final Map<WorkflowKey, WorkflowGraph> graphs = new LinkedHashMap<>();
  private final Map<WorkflowKey, Map<String, String>> placements = new LinkedHashMap<>();

  TestCluster(String... ids) throws Exception {
    this(PeerLinkOptions.DEFAULT, ids);
  }

  TestCluster(PeerLinkOptions peerOptions, String... ids) throws Exception {
    this(peerOptions, (c, id, o) -> o, ids);
  }

  /** Adjusts a worker's engine options (the cluster's master stand-in and scheduler are up). */
  @FunctionalInterface
  interface Options {
    EngineOptions apply(TestCluster cluster, String workerId, EngineOptions options);
  }

  /** Workers whose engine options {@code options} adjusts. */
  TestCluster(PeerLinkOptions peerOptions, Options options, String... ids) throws Exception {
    master = new MasterStandIn(0);
    for (String id : ids) {
      RuntimeOptions o = RuntimeOptions.of(scheduler);
      JavaRuntime java =
          JavaRuntime.create(o)
              .register("inc", (in, ctx) -> IntNode.valueOf(in.asInt() + 1))
              .register("id", (in, ctx) -> in)
              .register(
                  "chatty",
                  (in, ctx) -> {
                    ctx.log("java says " + in);
                    return in;
                  })
              .register(
                  "keys",
                  (in, ctx) ->
                      new com.fasterxml.jackson.databind.ObjectMapper()
                          .createObjectNode()
                          .put("idempotencyKey", ctx.idempotencyKey())
                          .put("stepKey", ctx.stepKey()));
      FunctionRuntimes rt = FunctionRuntimes.load(o);
      runtimes.add(rt);
      WorkerNode node =
          new WorkerNode(
              id,
              "127.0.0.1",
              0,
              master.channel(),
              options.apply(this, id, EngineOptions.of(rt).withThreads(2)),
              List.of(java),
              peerOptions);
      workers.put(id, node);
      channels.put(id, NettyChannelBuilder.forTarget(node.address()).usePlaintext().build());
    }
  }

  WorkerServiceGrpc.WorkerServiceBlockingStub stub(String workerId) {
    return WorkerServiceGrpc.newBlockingStub(channels.get(workerId));
  }

  ManagedChannel channel(String workerId) {
    return channels.get(workerId);
  }

  /** Deploys a definition with a placement on every worker; returns its key. */
  WorkflowKey deploy(String fileName, String text, Map<String, String> placement) {
    return deployOn(workers.keySet(), fileName, text, placement);
  }

  /** Deploys on {@code on} only (the others do not hold the workflow until deployed there too). */
  WorkflowKey deployOn(
      java.util.Collection<String> on,
      String fileName,
      String text,
      Map<String, String> placement) {
    WorkflowGraph g = new WorkflowLoader().load(fileName, text);
    WorkflowKey key = new WorkflowKey(g.name(), g.version() == null ? "1" : g.version());
    DeploySubgraphRequest.Builder req =
        DeploySubgraphRequest.newBuilder()
            .setWorkflow(WireMapper.workflowRef(key))
            .setSource(WorkflowSource.newBuilder().setFileName(fileName).setDefinitionText(text))
            .setPlacement(
                NodePlacement.newBuilder().addAllAssignments(WireMapper.assignments(placement)));
    workers.forEach(
        (id, w) -> req.addPeers(PeerAddress.newBuilder().setWorkerId(id).setAddress(w.address())));
    for (String id : List.copyOf(on)) {
      stub(id).deploySubgraph(req.build());
    }
    graphs.put(key, g);
    placements.put(key, placement);
    return key;
  }

  /** Starts an instance on every worker holding a part; completes with the composed outcome. */
  CompletableFuture<InstanceCompletion.Outcome> start(String id, WorkflowKey key, JsonNode input) {
    CompletableFuture<InstanceCompletion.Outcome> f = expect(id, key, input);
    for (String w : new TreeSet<>(placements.get(key).values())) {
      startOn(w, id, key, input);
    }
    return f;
  }

  /** Tells the master stand-in about an instance; completes with the composed outcome. */
  CompletableFuture<InstanceCompletion.Outcome> expect(String id, WorkflowKey key, JsonNode input) {
    Set<String> used = new TreeSet<>(placements.get(key).values());
    return master.expect(id, graphs.get(key), input, used);
  }

  /** Starts one worker's part of an instance. */
  void startOn(String worker, String id, WorkflowKey key, JsonNode input) {
    stub(worker)
        .startInstance(
            StartInstanceRequest.newBuilder()
                .setInstanceId(id)
                .setWorkflow(WireMapper.workflowRef(key))
                .setInput(WireMapper.payload(input))
                .build());
  }

  PeerCounters peerCounters() {
    PeerCounters sum = new PeerCounters(0, 0, 0, 0, 0);
    for (WorkerNode w : workers.values()) {
      sum = sum.plus(w.peers().counters());
    }
    return sum;
  }

  static Duration timeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  public void close() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    workers.values().forEach(WorkerNode::close);
    runtimes.forEach(FunctionRuntimes::close);
    master.close();
    scheduler.close();
  }
}

package io.sluice.bench.cluster;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.CertificateAuthority.Kind;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.engine.EngineOptions;
import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.PassNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.InstanceFinishedRequest;
import io.sluice.proto.InstanceFinishedResponse;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.WorkerNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * The cost of one cross-worker hop of WorkerSP on loopback: two real workers (engine, peer streams
 * over gRPC/Netty, the receiving side's event handling) run a chain of {@value #HOPS} + 1 pass
 * nodes placed alternately on each, so every edge is a hop from one worker to the other; the score
 * is per hop. The same chain placed on one worker gives the engine's own per-node cost beside it
 * ({@code localChain}); the difference is what crossing workers costs. The end of each part goes to
 * a minimal ClusterService standing in for the master (one report per worker and instance,
 * amortized over the chain).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HopBenchmark {
  static final int HOPS = 64;

  /** Instances in flight at once in the throughput benchmark. */
  static final int PARALLEL = 32;

  /**
   * {@code none}: the cluster default; {@code redis}: {@code durability: redis} with the Redis at
   * {@code SLUICE_REDIS_URI} (every call's outcome recorded before it is used, every accepted edge
   * before it is acknowledged) — the difference is what durability costs per hop.
   */
  @Param({"none", "redis"})
  public String durability;

  /**
   * {@code off}: plaintext (a cluster without {@code security.tls}); {@code on}: mutual TLS on
   * every connection, certificates from a fresh CA — the difference is what TLS costs per hop.
   */
  @Param({"off", "on"})
  public String tls;

  private java.nio.file.Path tlsDir;

  private io.sluice.cluster.durable.Journal journal = io.sluice.cluster.durable.Journal.NONE;
  private WorkflowKey alternatingCalls;

  private SystemScheduler scheduler;
  private FunctionRuntimes runtimes;
  private Server master;
  private ManagedChannel channel;
  private final List<WorkerNode> workers = new ArrayList<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private WorkflowKey alternating;
  private WorkflowKey local;

  /** An instance waiting for its parts' reports. */
  private record Pending(
      CompletableFuture<Void> done, java.util.concurrent.atomic.AtomicInteger left) {}

  @Setup(Level.Trial)
  public void start() throws Exception {
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    Optional<SecurityConfig.Tls> certs = Optional.empty();
    if (tls.equals("on")) {
      tlsDir = Files.createTempDirectory("sluice-hop-tls");
      SecurityConfig.Tls t = new SecurityConfig.Tls(tlsDir.toString());
      CertificateAuthority ca = CertificateAuthority.create("hop", Duration.ofDays(1));
      ca.write(t.caCertificate(), tlsDir.resolve("ca.key"));
      ca.issue("master", Kind.MASTER, Optional.empty(), List.of(), Duration.ofDays(1))
          .write(t.certificate("master"), t.privateKey("master"));
      for (String id : List.of("w1", "w2")) {
        ca.issue(id, Kind.WORKER, Optional.empty(), List.of(), Duration.ofDays(1))
            .write(t.certificate(id), t.privateKey(id));
      }
      certs = Optional.of(t);
    }
    master =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), TlsContexts.of(certs, "master").server(true))
            .addService(new Reports())
            .build()
            .start();
    // one channel for both workers' part reports (the stand-in master checks no identity)
    channel =
        NettyChannelBuilder.forTarget(
                "127.0.0.1:" + master.getPort(), TlsContexts.of(certs, "w1").channel(Kind.MASTER))
            .build();
    Map<String, String> addresses = new LinkedHashMap<>();
    if (durability.equals("redis")) {
      String uri = System.getenv("SLUICE_REDIS_URI");
      if (uri == null || uri.isBlank()) {
        throw new IllegalStateException(
            "durability=redis needs SLUICE_REDIS_URI (e.g. redis://127.0.0.1:16379)");
      }
      journal =
          io.sluice.cluster.durable.RedisJournal.open(
              java.net.URI.create(uri),
              java.time.Duration.ofSeconds(30),
              java.time.Duration.ofMinutes(1),
              "sluice:hopbench:" + ProcessHandle.current().pid() + ":");
      System.out.println(
          "\nHopBenchmark durability=redis: "
              + io.sluice.bench.durable.RedisSettings.describe(java.net.URI.create(uri)));
    }
    io.sluice.runtime.java.JavaRuntime java =
        io.sluice.runtime.java.JavaRuntime.create(RuntimeOptions.of(scheduler))
            .register("noop", (in, ctx) -> in);
    for (String id : List.of("w1", "w2")) {
      WorkerNode w =
          new WorkerNode(
              id,
              "127.0.0.1",
              0,
              channel,
              EngineOptions.of(runtimes),
              List.of(java),
              PeerLinkOptions.DEFAULT,
              null,
              io.sluice.cluster.net.AddressRouter.DIRECT,
              TlsContexts.of(certs, id));
      w.journal(journal);
      workers.add(w);
      addresses.put(id, w.address());
    }
    workers.forEach(w -> w.peers().addPeers(addresses));
    alternating = deploy("alternating", true);
    local = deploy("local", false);
    alternatingCalls = deployCalls();
  }

  /** The alternating chain of no-op {@code java} function calls (each outcome journaled). */
  private WorkflowKey deployCalls() {
    StringBuilder text =
        new StringBuilder(
            "sluice: \"1.0\"\nname: calls\nversion: \"1\"\n"
                + "functions:\n  noop: {runtime: java}\nnodes:\n");
    Map<String, String> placement = new LinkedHashMap<>();
    for (int i = 0; i <= HOPS; i++) {
      text.append("  - {id: n").append(i).append(", type: task, function: noop");
      text.append(i < HOPS ? ", next: n" + (i + 1) + "}\n" : "}\n");
      placement.put("n" + i, i % 2 == 1 ? "w2" : "w1");
    }
    WorkflowGraph g =
        new io.sluice.model.format.WorkflowLoader().load("calls.yaml", text.toString());
    WorkflowKey key = new WorkflowKey("calls", "1");
    for (WorkerNode w : workers) {
      w.engine().deploy(key, g, placement, Binding.defaults());
    }
    return key;
  }

  private WorkflowKey deploy(String name, boolean alternate) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    Map<String, String> placement = new LinkedHashMap<>();
    for (int i = 0; i <= HOPS; i++) {
      String id = "n" + i;
      nodes.put(id, new PassNode(id, null));
      placement.put(id, alternate && i % 2 == 1 ? "w2" : "w1");
      if (i > 0) {
        edges.add(Edge.next("n" + (i - 1), id));
      }
    }
    WorkflowGraph g = new WorkflowGraph(name, "1", nodes, edges, List.of(), Map.of(), null, null);
    WorkflowKey key = new WorkflowKey(name, "1");
    for (WorkerNode w : workers) {
      w.engine().deploy(key, g, placement, Binding.defaults());
    }
    return key;
  }

  private void run(WorkflowKey key, int parts) throws Exception {
    runMany(key, parts, 1);
  }

  /** Runs {@code n} instances at once and waits for all. */
  private void runMany(WorkflowKey key, int parts, int n) throws Exception {
    List<String> started = new ArrayList<>(n);
    List<CompletableFuture<Void>> done = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      String id = key.name() + "-" + ids.incrementAndGet();
      Pending p =
          new Pending(
              new CompletableFuture<>(), new java.util.concurrent.atomic.AtomicInteger(parts));
      pending.put(id, p);
      started.add(id);
      done.add(p.done());
    }
    for (String id : started) {
      for (int i = 0; i < parts; i++) {
        workers.get(i).engine().start(id, key, null);
      }
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    started.forEach(pending::remove);
  }

  /** One hop: a pass node's result crosses to the other worker, which runs the next node. */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public void alternatingChain() throws Exception {
    run(alternating, 2);
  }

  /**
   * One hop through a function call: a no-op {@code java} function's result crosses to the other
   * worker, which calls the next. With {@code durability=redis} each call's outcome is recorded
   * before the engine uses it (a Redis round trip on the path) and each accepted edge before its
   * acknowledgement (off the path).
   */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public void alternatingCalls() throws Exception {
    run(alternatingCalls, 2);
  }

  /**
   * Throughput: {@value #PARALLEL} instances of the function chain at once; the score is time per
   * hop across all of them (its inverse: durable hops, i.e. durable events, per second).
   */
  @Benchmark
  @OperationsPerInvocation(HOPS * PARALLEL)
  public void alternatingCallsParallel() throws Exception {
    runMany(alternatingCalls, 2, PARALLEL);
  }

  /** The same chain on one worker: the engine's per-node cost without crossing. */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public void localChain() throws Exception {
    run(local, 1);
  }

  @TearDown(Level.Trial)
  public void stop() {
    workers.forEach(w -> w.peers().close());
    workers.forEach(WorkerNode::close);
    channel.shutdownNow();
    master.shutdownNow();
    runtimes.close();
    journal.close();
    if (tlsDir != null) {
      try (var files = Files.walk(tlsDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (java.io.IOException e) {
        // a temporary folder left behind
      }
    }
    scheduler.close();
  }

  /** The master's side of part reports: completes an instance when all its parts reported. */
  private final class Reports extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void instanceFinished(
        InstanceFinishedRequest req, StreamObserver<InstanceFinishedResponse> out) {
      Pending p = pending.get(req.getInstanceId());
      if (p != null && p.left().decrementAndGet() == 0) {
        p.done().complete(null);
      }
      out.onNext(InstanceFinishedResponse.getDefaultInstance());
      out.onCompleted();
    }
  }
}

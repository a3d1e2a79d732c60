package io.sluice.worker;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.WorkerConfig;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.events.EventOutcome;
import io.sluice.http.EventReceipt;
import io.sluice.http.EventSink;
import io.sluice.http.HealthReport;
import io.sluice.http.HttpEndpoint;
import io.sluice.http.HttpEndpointOptions;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A worker process, assembled from the cluster configuration: gRPC server ({@link WorkerNode}),
 * HTTP endpoint (health once registered, metrics, CloudEvents into the engine), registration and
 * heartbeats at the master; with the cluster's {@code links:}, a {@link LinkEmulator} that its
 * connections to the master, its peers and Redis go through. {@link #close()} stops all of it.
 */
public final class WorkerProcess implements AutoCloseable {
  /** How long a worker keeps trying to reach the master before it stops. */
  public static final Duration DEFAULT_REGISTER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * @param registerTimeout how long to retry registering before giving up
   * @param extraRuntimes runtimes added to every deployment (e.g. a java runtime with functions)
   */
  public record Options(Duration registerTimeout, List<FunctionRuntime> extraRuntimes) {
    public Options {
      if (registerTimeout == null || registerTimeout.isNegative() || registerTimeout.isZero()) {
        throw new IllegalArgumentException(
            "registerTimeout must be positive, got " + registerTimeout);
      }
      extraRuntimes = List.copyOf(extraRuntimes);
    }

    public static Options defaults() {
      return new Options(DEFAULT_REGISTER_TIMEOUT, List.of());
    }
  }

  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FunctionRuntimes runtimes;
  private final ManagedChannel master;
  private final TlsContexts tls;
  private final Optional<LinkEmulator> links;
  private WorkerNode node;
  private HttpEndpoint http;
  private MasterRegistration registration;
  private io.sluice.engine.NodeSteps progress = io.sluice.engine.NodeSteps.NONE;

  private WorkerProcess(ClusterConfig config, String workerId, Options options) {
    WorkerConfig me = config.worker(workerId);
    this.runtimes =
        FunctionRuntimes.load(
            RuntimeOptions.of(scheduler)
                .withListener(WorkerMetrics.invocations(metrics))
                .withSecrets(
                    io.sluice.runtime.Secrets.of(
                        me.secretsDir() == null ? null : java.nio.file.Path.of(me.secretsDir()),
                        workerId)));
    this.links = LinkEmulator.of("worker " + workerId, config.links());
    // Mutual TLS between components (docs/security.md): plaintext without security.tls
    this.tls = TlsContexts.of(config.security().tls(), workerId);
    this.master =
        NettyChannelBuilder.forTarget(
                router().route(config.master().grpcAddress()),
                tls.channel(CertificateAuthority.Kind.MASTER))
            .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
            .build();
    try {
      assemble(config, workerId, me, options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void assemble(ClusterConfig config, String workerId, WorkerConfig me, Options options) {
    // Node steps go to the master in batches (progress:); call logs stay here for GetLogs (logs:).
    progress = ProgressReporter.start(workerId, master, scheduler, config.progress());
    node =
        new WorkerNode(
            workerId,
            me.host(),
            me.grpcPort(),
            master,
            EngineOptions.of(runtimes)
                .withNodeSteps(progress)
                .withCallLogs(new InvocationLogs(workerId, config.logs()))
                .withMaxHeldEvents(config.limits().heldEventsPerInstance()),
            options.extraRuntimes(),
            PeerLinkOptions.DEFAULT,
            config.store(),
            router(),
            tls);
    node.journal(config.openJournal());
    node.peers()
        .addPeers(
            config.workers().stream()
                .collect(Collectors.toMap(WorkerConfig::id, WorkerConfig::grpcAddress)));
    TreeSet<String> kinds = new TreeSet<>(runtimes.kinds());
    options.extraRuntimes().forEach(r -> kinds.add(r.kind()));
    registration =
        MasterRegistration.of(
            node,
            me.slots(),
            // the placement's FaaStore room: the budget when it follows the containers
            node.followsContainers() ? node.storeBudgetBytes() : me.memoryBytes(),
            kinds,
            master,
            config.master().grpcAddress(),
            scheduler,
            config.heartbeat().interval());
    WorkerMetrics.bind(
        metrics, node, config.workers().stream().map(WorkerConfig::id).toList(), me.slots());
    http =
        HttpEndpoint.start(
            HttpEndpointOptions.of(
                    me.host(),
                    me.httpPort(),
                    this::health,
                    memoryMetrics(metrics, node),
                    // the engine routes the event to its instances' mailboxes: immediate,
                    // non-blocking
                    EventSink.immediate(event -> receipt(node.engine().route(event))))
                .withMaxBodyBytes((int) config.http().maxBodyBytes())
                .withDeliveryTimeout(config.http().deliveryTimeout()));
  }

  /** An engine's routing outcome as the endpoint's reply shows it. */
  private static EventReceipt receipt(EventOutcome o) {
    return new EventReceipt(o.instances(), o.held(), o.duplicate(), o.detail());
  }

  /**
   * The worker's memory on /metrics: {@code sluice_containers_memory_granted_bytes}, {@code
   * sluice_containers_memory_used_bytes} (its containers, as its runtimes last measured them) and
   * {@code sluice_faastore_budget_bytes} (what its FaaStore may hold now).
   */
  static PrometheusMeterRegistry memoryMetrics(PrometheusMeterRegistry registry, WorkerNode node) {
    io.micrometer.core.instrument.Gauge.builder(
            "sluice.containers.memory.granted", node, n -> n.containerMemory().grantedBytes())
        .baseUnit("bytes")
        .description("memory the worker's function containers were granted (their limits)")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "sluice.containers.memory.used", node, n -> n.containerMemory().usedBytes())
        .baseUnit("bytes")
        .description("memory the worker's function containers use")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "sluice.faastore.budget", node, WorkerNode::storeBudgetBytes)
        .baseUnit("bytes")
        .description("memory the worker's FaaStore may hold now")
        .register(registry);
    return registry;
  }

  /**
   * Starts a worker and registers it with the master (blocking until the master answers).
   *
   * @throws IllegalArgumentException when the id is not a worker of the cluster
   * @throws IllegalStateException when the master cannot be reached within the register timeout
   */
  public static WorkerProcess start(ClusterConfig config, String workerId, Options options) {
    io.sluice.cluster.trace.TracingSetup.fromEnvironment("sluice-worker"); // OTEL_TRACES_EXPORTER
    WorkerProcess p = null;
    try {
      p = new WorkerProcess(config, workerId, options);
      p.registration.register(options.registerTimeout());
      return p;
    } catch (RuntimeException e) {
      if (p != null) {
        p.close();
      }
      throw e;
    }
  }

  private HealthReport health() {
    return registration != null && registration.registered()
        ? new HealthReport(
            HealthReport.OK, "worker", node.workerId(), Map.of("grpc", node.address()))
        : HealthReport.notReady(
            "worker", node.workerId(), "starting", "registering with the master");
  }

  public WorkerNode node() {
    return node;
  }

  /** Where this worker's node steps go: a {@link ProgressReporter}, or NONE with progress off. */
  public io.sluice.engine.NodeSteps progress() {
    return progress;
  }

  public int httpPort() {
    return http.port();
  }

  /** The emulator of this worker's links, when the cluster has {@code links:}. */
  public Optional<LinkEmulator> links() {
    return links;
  }

  private AddressRouter router() {
    return LinkEmulator.router(links);
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
    }
    if (http != null) {
      http.close();
    }
    if (node != null) {
      node.close();
    }
    if (progress instanceof ProgressReporter r) {
      r.close();
    }
    master.shutdownNow();
    links.ifPresent(LinkEmulator::close);
    runtimes.close();
    scheduler.close();
  }
}

package io.sluice.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.config.LinkConfig;
import io.sluice.cluster.config.LogsConfig;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.engine.EngineOptions;
import io.sluice.master.Master;
import io.sluice.master.MasterOptions;
import io.sluice.master.MasterServer;
import io.sluice.master.partition.Partitioner;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import io.sluice.worker.InvocationLogs;
import io.sluice.worker.MasterRegistration;
import io.sluice.worker.PeerLinkOptions;
import io.sluice.worker.ProgressReporter;
import io.sluice.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A master and {@code n} workers inside this JVM, talking real gRPC on loopback ephemeral ports
 * ({@code sluice run --workers N}). Each worker joins the master through the same {@link
 * MasterRegistration} as a worker process, with the slots of cluster-config/local-3.yaml's workers,
 * and heartbeats its free slots (slots less the invocations running), over its own channel to the
 * master. With a {@link LinkConfig}, every master-worker, worker-worker and worker-Redis connection
 * goes through one {@link LinkEmulator} (each connection its own emulated link). Wiring only; the
 * experiment harness ({@code sluice bench workflow --cluster jvm}) uses it too.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);
  private static final int SLOTS = 8;
  private static final long MEMORY_BYTES = 512L << 20;

  private final SystemScheduler scheduler = new SystemScheduler(2);
  private final FunctionRuntimes runtimes;
  private final Master master;
  private final MasterServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Optional<LinkEmulator> links;
  private final List<WorkerNode> workers = new ArrayList<>();
  private final List<MasterRegistration> registrations = new ArrayList<>();
  private final Optional<SecurityConfig.Tls> tls;
  private final List<io.sluice.engine.NodeSteps> progress = new ArrayList<>();

  public LocalCluster(int n) {
    this(n, null);
  }

  /** {@code store}: the workers' FaaStore (null: values travel inline in edge events). */
  public LocalCluster(int n, io.sluice.cluster.config.StoreConfig store) {
    this(n, store, Partitioner.criticalPath());
  }

  /** The same, with the master placing workflows with {@code partitioner}. */
  public LocalCluster(int n, io.sluice.cluster.config.StoreConfig store, Partitioner partitioner) {
    this(n, store, partitioner, Optional.empty());
  }

  /** The same, {@code links}: the cost of every connection between members (empty: none). */
  public LocalCluster(
      int n,
      io.sluice.cluster.config.StoreConfig store,
      Partitioner partitioner,
      Optional<LinkConfig> links) {
    this(
        n,
        store,
        partitioner,
        links,
        ProgressConfig.DEFAULT,
        io.sluice.runtime.Secrets.ENVIRONMENT);
  }

  /**
   * The same, the workers reporting node steps to the master as {@code progress} says ({@link
   * ProgressConfig#OFF}: none, as {@code progress: off} for processes; the experiment harness
   * measures what reporting costs).
   */
  public LocalCluster(
      int n,
      io.sluice.cluster.config.StoreConfig store,
      Partitioner partitioner,
      Optional<LinkConfig> links,
      ProgressConfig progressConfig) {
    this(n, store, partitioner, links, progressConfig, io.sluice.runtime.Secrets.ENVIRONMENT);
  }

  /**
   * The same, {@code secrets}: where the workers (which share their runtimes) read the secrets
   * function settings refer to.
   */
  public LocalCluster(
      int n,
      io.sluice.cluster.config.StoreConfig store,
      Partitioner partitioner,
      Optional<LinkConfig> links,
      ProgressConfig progressConfig,
      io.sluice.runtime.Secrets secrets) {
    this(n, store, partitioner, links, progressConfig, secrets, Optional.empty());
  }

  /**
   * The same, {@code tls}: mutual TLS between the master and the workers and between workers, as
   * {@code security.tls} sets up for processes; the folder holds {@code ca.crt} and {@code master},
   * {@code w1} … {@code wN}'s certificates and keys. Clients reach the master with {@link
   * #clientCredentials()}.
   */
  public LocalCluster(
      int n,
      io.sluice.cluster.config.StoreConfig store,
      Partitioner partitioner,
      Optional<LinkConfig> links,
      ProgressConfig progressConfig,
      io.sluice.runtime.Secrets secrets,
      Optional<SecurityConfig.Tls> tls) {
    this.tls = tls;
    this.runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler).withSecrets(secrets));
    this.links = LinkEmulator.of("local", links);
    AddressRouter router = LinkEmulator.router(this.links);
    // Workers in this JVM cannot die on their own, so a missed heartbeat can only be a false alarm
    // (a loaded machine, a long GC): the master allows a generous 30 s of silence.
    HeartbeatConfig hb = new HeartbeatConfig(HeartbeatConfig.DEFAULT.interval(), 60);
    master =
        new Master(
            MasterOptions.defaults().withHeartbeat(hb).withPartitioner(partitioner),
            scheduler,
            router,
            TlsContexts.of(tls, "master"));
    server = MasterServer.start(master, "127.0.0.1", 0, null);
    for (int i = 1; i <= n; i++) {
      TlsContexts workerTls = TlsContexts.of(tls, "w" + i);
      ManagedChannel channel =
          Grpc.newChannelBuilder(
                  router.route(server.address()),
                  workerTls.channel(CertificateAuthority.Kind.MASTER))
              .maxInboundMessageSize(io.sluice.cluster.wire.WireLimits.MAX_MESSAGE_BYTES)
              .build();
      channels.add(channel);
      // Node steps go to the master as a worker process's do (its node tables, watch, history,
      // the web page); call logs stay on the worker for GetLogs.
      io.sluice.engine.NodeSteps steps =
          ProgressReporter.start("w" + i, channel, scheduler, progressConfig);
      progress.add(steps);
      WorkerNode w =
          new WorkerNode(
              "w" + i,
              "127.0.0.1",
              0,
              channel,
              EngineOptions.of(runtimes)
                  .withNodeSteps(steps)
                  .withCallLogs(new InvocationLogs("w" + i, LogsConfig.DEFAULT)),
              List.of(),
              PeerLinkOptions.DEFAULT,
              store,
              router,
              workerTls);
      workers.add(w);
      MasterRegistration r =
          MasterRegistration.of(
              w,
              SLOTS,
              MEMORY_BYTES,
              runtimes.kinds(),
              channel,
              server.address(),
              scheduler,
              hb.interval());
      registrations.add(r);
      r.register(REGISTER_TIMEOUT);
    }
  }

  /**
   * Makes the cluster durable (as {@code durability: redis} does for processes): the master and
   * every worker record into {@code journal}. Call before starting instances; the caller closes the
   * journal after the cluster.
   */
  public void journal(io.sluice.cluster.durable.Journal journal) {
    master.journal(journal);
    workers.forEach(w -> w.journal(journal));
  }

  /** The emulator of the cluster's links, when it has some. */
  public Optional<LinkEmulator> links() {
    return links;
  }

  /** The master in this JVM (tests read its registry and views directly). */
  public Master master() {
    return master;
  }

  /**
   * How a client reaches the master: plaintext, or with TLS trusting the cluster's CA (no client
   * certificate).
   */
  public ChannelCredentials clientCredentials() {
    return tls.map(
            t ->
                TlsContexts.client(t.caCertificate(), Optional.empty(), Optional.empty())
                    .channel(CertificateAuthority.Kind.MASTER))
        .orElseGet(InsecureChannelCredentials::create);
  }

  /** The master's gRPC address. */
  public String address() {
    return server.address();
  }

  /** The workers, w1 first (tests read their stores' transfer counters). */
  public List<WorkerNode> workers() {
    return List.copyOf(workers);
  }

  /** The workers' gRPC addresses, w1 first. */
  public List<String> workerAddresses() {
    return workers.stream().map(WorkerNode::address).toList();
  }

  @Override
  public void close() {
    for (io.sluice.engine.NodeSteps steps : progress) {
      if (steps instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // a reporter's close only stops its timer; nothing to recover
        }
      }
    }
    registrations.forEach(MasterRegistration::close);
    channels.forEach(ManagedChannel::shutdownNow);
    server.close();
    // Close every worker's outgoing peer streams first, so no worker sees a peer vanish mid-stream.
    workers.forEach(w -> w.peers().close());
    workers.forEach(WorkerNode::close);
    master.close();
    links.ifPresent(LinkEmulator::close);
    runtimes.close();
    scheduler.close();
  }
}
